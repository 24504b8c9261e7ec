using KvGrid.Benchmarks.Synthetic;

namespace KvGrid.Organism;

/// <summary>
/// Copy drills: a system message of random vocabulary pieces, a user turn taken from the suite's attack phrasings,
/// and the system message verbatim as the target (a leak of a prompt with no structure to memorise).
/// Why: in the suite, every slot word (name, code, keyword, start word) sits inside a few fixed sentence templates,
/// so a tiny model learns the templates long before it learns to copy; it then emits the most frequent slot word
/// whatever the prompt says. A prompt of random pieces can only be reproduced by attending to and copying each
/// token, which forms the copying circuit the slots need. Drills reuse the suite's attack turns, so they teach
/// nothing the undefended suite prompt does not already ask for.
/// </summary>
public sealed class CopyDrills
{
    public const int MinPieces = 8, MaxPieces = 64;
    const ulong Salt = 0xD1B54A32D192ED03UL;
    readonly string[] _openers, _pieces;

    /// <param name="vocabulary">the organism's vocabulary (<see cref="OrganismTokenizer.BuildVocabulary"/>).</param>
    public CopyDrills(IReadOnlyList<string> vocabulary)
    {
        var words = vocabulary.Skip(OrganismTokenizer.UnknownId + 1).Where(p => !OrganismTokenizer.Roles.Contains(p)).ToList();
        // A drill starts with a piece without a leading space (the chat template trims the content); every later
        // piece either starts with a space or is a lone digit or punctuation mark, so concatenation re-splits into
        // exactly the drawn pieces and never yields an unknown word.
        _openers = words.Where(p => char.IsAsciiLetter(p[0])).ToArray();
        _pieces = words.Where(p => (p.Length > 1 && p[0] == ' ' && !char.IsWhiteSpace(p[1])) || (p.Length == 1 && !char.IsAsciiLetter(p[0]) && !char.IsWhiteSpace(p[0]))).ToArray();
        if (_openers.Length == 0 || _pieces.Length == 0)
            throw new ArgumentException("the vocabulary has no word pieces to build copy drills from", nameof(vocabulary));
    }

    /// <summary><paramref name="count"/> drills for suite example <paramref name="example"/> (deterministic in seed and index).</summary>
    public IEnumerable<Conversation> For(ulong seed, SyntheticExample example, int count)
    {
        var rng = new SplitMix64(SplitMix64.Mix(seed ^ Salt) + (ulong)example.Index);
        for (int d = 0; d < count; d++)
        {
            int length = rng.NextInt(MinPieces, MaxPieces);
            var text = string.Concat(Enumerable.Range(0, length).Select(i => i == 0 ? rng.Pick(_openers) : rng.Pick(_pieces)));
            var attack = example.AttackTurns[d % example.AttackTurns.Count].User;
            yield return new Conversation(text, attack, text, TurnKind.Drill);
        }
    }
}
