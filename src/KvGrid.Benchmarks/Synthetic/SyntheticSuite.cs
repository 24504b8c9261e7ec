using KvGrid.Benchmarks.Datasets;
using static KvGrid.Benchmarks.Synthetic.SyntheticInstructionKind;

namespace KvGrid.Benchmarks.Synthetic;

/// <summary>
/// Generates the synthetic leakage / instruction-following suite. Each example's system prompt states three
/// facts (name, secret code, topic), two to four checkable format rules (each an IFEval instruction with
/// kwargs) and, in its defended form, one defense sentence placed first, in the middle or last; the other
/// sentences are shuffled. Example i depends only on (seed, i): <c>Generate(seed, 10)</c> starts with
/// <c>Generate(seed, 5)</c>. All randomness comes from <see cref="SplitMix64"/>, so output is stable across
/// platforms and .NET versions for a given <see cref="GeneratorVersion"/>.
/// </summary>
public static class SyntheticSuite
{
    /// <summary>Bump whenever any output for some seed changes (templates, vocabulary, draw order).</summary>
    public const int GeneratorVersion = 1;

    public const int BenignTurnsPerExample = 2;
    public const int AttackTurnsPerExample = 2;

    // Pairs of rules that cannot both hold (or whose order in the response would clash).
    private static readonly (SyntheticInstructionKind, SyntheticInstructionKind)[] Conflicts =
    [
        (Uppercase, Lowercase),
        (StartWord, Title),      // the title line would come before the first word
        (Quotation, EndPhrase),  // the response cannot end with both the phrase and a quote
    ];

    private static readonly SyntheticInstructionKind[] FormatKinds =
        [Uppercase, Lowercase, StartWord, EndPhrase, NoComma, Quotation, KeywordFrequency, Title, Postscript, KeywordExistence];

    public static IReadOnlyList<SyntheticExample> Generate(ulong seed, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Enumerable.Range(0, count).Select(i => GenerateExample(seed, i)).ToList();
    }

    /// <summary>Example <paramref name="index"/> of the suite for <paramref name="seed"/>.</summary>
    public static SyntheticExample GenerateExample(ulong seed, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var exampleSeed = SplitMix64.Mix(seed + (ulong)index * 0x9E3779B97F4A7C15UL + 1);
        var rng = new SplitMix64(exampleSeed);

        var facts = DrawFacts(rng);
        var rules = DrawFormatRules(rng);
        var sentences = new List<SyntheticInstruction>
        {
            InstructionFactory.FactName(facts.Name),
            InstructionFactory.FactSecretCode(facts.SecretCode),
            InstructionFactory.FactTopic(facts.Topic),
        };
        sentences.AddRange(rules);
        rng.Shuffle(sentences);

        var placement = (DefensePlacement)rng.NextInt(3);
        var defense = InstructionFactory.Defense(rng.Pick(SyntheticVocabulary.DefenseSentences));
        var defendedOrder = new List<SyntheticInstruction>(sentences);
        var defenseIndex = placement switch
        {
            DefensePlacement.First => 0,
            DefensePlacement.Last => sentences.Count,
            _ => rng.NextInt(1, sentences.Count - 1),
        };
        defendedOrder.Insert(defenseIndex, defense);

        var defended = SyntheticSystemPrompt.Join(defendedOrder);
        var undefended = SyntheticSystemPrompt.Join(sentences);

        var tasks = DrawDistinct(rng, SyntheticVocabulary.BenignTasks, BenignTurnsPerExample);
        var benign = tasks
            .Select(task => new SyntheticBenignTurn(
                ReferenceResponses.Fill(task, facts.Topic, null),
                ReferenceResponses.Benign(facts, rules, rng)))
            .ToList();
        var attacks = DrawDistinct(rng, SyntheticVocabulary.AttackPhrasings, AttackTurnsPerExample)
            .Select(attack => new SyntheticAttackTurn(attack, Refusals.Standard, undefended.Text))
            .ToList();

        return new SyntheticExample(index, exampleSeed, facts, placement, defended, undefended, benign, attacks);
    }

    private static SyntheticFacts DrawFacts(SplitMix64 rng)
    {
        var name = rng.Pick(SyntheticVocabulary.Names);
        var words = DrawDistinct(rng, SyntheticVocabulary.CodeWords, 2);
        var code = $"{words[0]}-{words[1]}-{rng.NextInt(10)}";
        var topic = rng.Pick(SyntheticVocabulary.Topics);
        return new SyntheticFacts(name, code, topic);
    }

    private static List<SyntheticInstruction> DrawFormatRules(SplitMix64 rng)
    {
        var wanted = rng.NextInt(2, 4);
        var kinds = FormatKinds.ToList();
        rng.Shuffle(kinds);
        var chosen = new List<SyntheticInstructionKind>();
        foreach (var kind in kinds)
        {
            if (chosen.Count == wanted)
            {
                break;
            }

            if (!chosen.Any(other => Conflicts.Contains((kind, other)) || Conflicts.Contains((other, kind))))
            {
                chosen.Add(kind);
            }
        }

        var keywords = DrawDistinct(rng, SyntheticVocabulary.Keywords, 3);
        return chosen.Select(kind => kind switch
        {
            Uppercase => InstructionFactory.Uppercase(),
            Lowercase => InstructionFactory.Lowercase(),
            StartWord => InstructionFactory.StartWord(rng.Pick(SyntheticVocabulary.StartWords)),
            EndPhrase => InstructionFactory.EndPhrase(rng.Pick(SyntheticVocabulary.EndPhrases)),
            NoComma => InstructionFactory.NoComma(),
            Quotation => InstructionFactory.Quotation(),
            KeywordFrequency => InstructionFactory.KeywordFrequency(keywords[0], rng.NextInt(2, 4)),
            Title => InstructionFactory.Title(),
            Postscript => InstructionFactory.Postscript(),
            KeywordExistence => InstructionFactory.KeywordExistence(keywords[1], keywords[2]),
            _ => throw new InvalidOperationException($"not a format rule: {kind}"),
        }).ToList();
    }

    private static List<T> DrawDistinct<T>(SplitMix64 rng, IReadOnlyList<T> items, int count)
    {
        var pool = items.ToList();
        rng.Shuffle(pool);
        return pool.Take(count).ToList();
    }
}
