using KvGrid.Contracts;

namespace KvGrid.Reports.Analysis;

/// <summary>
/// Eviction bias from the per-span keep fractions. A span's keep fraction is a property of the compressed
/// context, repeated on each of its trials, so means are taken over distinct contexts (not trials).
/// </summary>
public static class EvictionAnalysis
{
    public const string DefenseSpan = "defense";
    public const string SystemSpan = "system";
    public const string PrefixSpan = "prefix";
    public const string InstructionPrefix = "instr:";

    /// <summary>
    /// One trial per compressed context that has span keep data (the first by trial id). A grid context is
    /// prefilled once and compressed at every ratio of the sweep, so the keep fractions belong to (context, ratio).
    /// </summary>
    static IEnumerable<TrialResult> Contexts(IEnumerable<TrialResult> ok) =>
        ok.Where(r => r.SpanKeep is { Count: > 0 })
            .GroupBy(r => (r.SweepId, r.ContextId, r.Ratio))
            .Select(g => g.OrderBy(r => r.TrialId, StringComparer.Ordinal).First());

    public static IReadOnlyList<EvictionBiasRow> Bias(IEnumerable<TrialResult> ok) =>
        Contexts(ok).GroupBy(Condition.Of).OrderBy(g => g.Key).Select(g =>
        {
            var contexts = g.ToList();
            double? defense = MeanOf(contexts, DefenseSpan), system = MeanOf(contexts, SystemSpan);
            var c = g.Key;
            return new EvictionBiasRow(c.Model, c.DefenseOrder, c.Press, c.Remedy, c.Ratio, contexts.Count,
                defense, system, MeanOf(contexts, PrefixSpan), defense - system);
        }).ToList();

    static double? MeanOf(List<TrialResult> contexts, string label)
    {
        var values = contexts.Where(r => r.SpanKeep!.ContainsKey(label)).Select(r => r.SpanKeep![label]).ToList();
        return values.Count == 0 ? null : values.Average();
    }

    public static IReadOnlyList<InstructionKeepRow> PerInstruction(IEnumerable<TrialResult> ok) =>
        Contexts(ok)
            .SelectMany(r => r.SpanKeep!.Where(kv => kv.Key.StartsWith(InstructionPrefix, StringComparison.Ordinal))
                .Select(kv => (Cell: Condition.Of(r), Instruction: InstructionName(r, kv.Key), Keep: kv.Value)))
            .GroupBy(v => (v.Cell, v.Instruction))
            .OrderBy(g => g.Key.Cell).ThenBy(g => g.Key.Instruction, StringComparer.Ordinal)
            .Select(g => new InstructionKeepRow(g.Key.Cell.Model, g.Key.Cell.DefenseOrder, g.Key.Cell.Press, g.Key.Cell.Remedy,
                g.Key.Cell.Ratio, g.Key.Instruction, g.Count(), g.Average(v => v.Keep)))
            .ToList();

    /// <summary>"instr:i" names the i-th instruction of the system prompt in text order: its IFEval id when the trial has one.</summary>
    static string InstructionName(TrialResult r, string label)
    {
        if (int.TryParse(label.AsSpan(InstructionPrefix.Length), out var i) && r.IfEvalInstructionIds is { } ids && i >= 0 && i < ids.Count)
            return ids[i];
        return label;
    }
}
