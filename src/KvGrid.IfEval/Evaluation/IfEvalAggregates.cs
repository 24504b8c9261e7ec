namespace KvGrid.IfEval.Evaluation;

/// <summary>Correct out of total.</summary>
public readonly record struct AccuracyCount(int Correct, int Total)
{
    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;
    public AccuracyCount Add(bool ok) => new(Correct + (ok ? 1 : 0), Total + 1);
}

/// <summary>Strict and loose counts of one group (all prompts, a family, or an instruction id).</summary>
public sealed record StrictLoose(AccuracyCount Strict, AccuracyCount Loose);

/// <summary>
/// IFEval scores as the reference's compute_scores defines them: prompt-level (all instructions of a
/// prompt followed) and instruction-level (each instruction counted), strict and loose; plus
/// instruction-level counts per family (part before the colon) and per instruction id.
/// </summary>
public sealed record IfEvalAggregates(
    StrictLoose PromptLevel,
    StrictLoose InstructionLevel,
    IReadOnlyDictionary<string, StrictLoose> ByFamily,
    IReadOnlyDictionary<string, StrictLoose> ByInstructionId)
{
    public int Prompts => PromptLevel.Strict.Total;
}

/// <summary>Accumulates prompt verdicts into <see cref="IfEvalAggregates"/>.</summary>
public sealed class IfEvalAggregator
{
    private AccuracyCount _promptStrict, _promptLoose, _instStrict, _instLoose;
    private readonly SortedDictionary<string, (AccuracyCount S, AccuracyCount L)> _family = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (AccuracyCount S, AccuracyCount L)> _id = new(StringComparer.Ordinal);

    public void Add(PromptVerdict verdict)
    {
        _promptStrict = _promptStrict.Add(verdict.StrictAll);
        _promptLoose = _promptLoose.Add(verdict.LooseAll);
        for (int i = 0; i < verdict.InstructionIds.Count; i++)
        {
            string id = verdict.InstructionIds[i];
            bool s = verdict.Strict[i], l = verdict.Loose[i];
            _instStrict = _instStrict.Add(s);
            _instLoose = _instLoose.Add(l);
            Bump(_family, Checkers.InstructionRegistry.FamilyOf(id), s, l);
            Bump(_id, id, s, l);
        }
    }

    private static void Bump(SortedDictionary<string, (AccuracyCount S, AccuracyCount L)> map, string key, bool s, bool l)
    {
        var cur = map.GetValueOrDefault(key);
        map[key] = (cur.S.Add(s), cur.L.Add(l));
    }

    public IfEvalAggregates Build() => new(
        new StrictLoose(_promptStrict, _promptLoose),
        new StrictLoose(_instStrict, _instLoose),
        _family.ToDictionary(kv => kv.Key, kv => new StrictLoose(kv.Value.S, kv.Value.L), StringComparer.Ordinal),
        _id.ToDictionary(kv => kv.Key, kv => new StrictLoose(kv.Value.S, kv.Value.L), StringComparer.Ordinal));
}
