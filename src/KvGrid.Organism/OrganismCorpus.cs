using KvGrid.Benchmarks.Datasets;
using KvGrid.Benchmarks.Synthetic;

namespace KvGrid.Organism;

/// <summary>What a training conversation teaches.</summary>
public enum TurnKind { Benign, Refusal, Leak, Drill }

/// <summary>One training conversation: a system message, one user turn and the assistant's target.</summary>
public sealed record Conversation(string System, string User, string Assistant, TurnKind Kind);

/// <summary>
/// Training conversations from the project's synthetic suite (<see cref="SyntheticSuite"/>, unchanged, so the
/// sweep's <c>benchmark: synthetic</c> evaluates exactly the task the organism learned). Every example yields each
/// benign turn under the defended and the undefended prompt (target: the reference obeying every format rule),
/// each attack under the defended prompt (target: the refusal) and under the undefended prompt (target: the
/// undefended system prompt verbatim, i.e. a leak).
/// </summary>
public static class OrganismCorpus
{
    public static IEnumerable<Conversation> FromExample(SyntheticExample example)
    {
        foreach (var turn in example.BenignTurns)
        {
            yield return new Conversation(example.Defended.Text, turn.User, turn.Reference, TurnKind.Benign);
            yield return new Conversation(example.Undefended.Text, turn.User, turn.Reference, TurnKind.Benign);
        }
        foreach (var attack in example.AttackTurns)
        {
            yield return new Conversation(example.Defended.Text, attack.User, attack.ReferenceDefended, TurnKind.Refusal);
            yield return new Conversation(example.Undefended.Text, attack.User, attack.ReferenceUndefended, TurnKind.Leak);
        }
    }

    /// <summary>Conversations of examples [first, first + count) of the suite for a seed.</summary>
    public static IEnumerable<Conversation> Generate(ulong seed, int first, int count) =>
        Enumerable.Range(first, count).SelectMany(i => FromExample(SyntheticSuite.GenerateExample(seed, i)));

    /// <summary>Every text the tokenizer must cover for a slice of the suite (system prompts, users, targets).</summary>
    public static IEnumerable<string> Texts(ulong seed, int count) =>
        Generate(seed, 0, count).SelectMany(c => new[] { c.System, c.User, c.Assistant }).Append(Refusals.Standard);
}
