using KvGrid.Contracts;

namespace KvGrid.Reports.Analysis;

/// <summary>
/// IFEval tables from the ok trials that carry instruction verdicts. Prompt level: the fraction of prompts whose
/// every instruction is followed; instruction level: followed instructions over all instructions (Google's
/// definitions), strict and loose.
/// </summary>
public static class IfEvalAnalysis
{
    public static IEnumerable<TrialResult> Trials(IEnumerable<TrialResult> ok) =>
        ok.Where(r => r.IfEvalInstructionIds is { Count: > 0 } && r.IfEvalStrict is not null && r.IfEvalLoose is not null);

    public static IReadOnlyList<IfEvalRow> PerCell(IEnumerable<TrialResult> ok) =>
        Trials(ok).GroupBy(Condition.Of).OrderBy(g => g.Key).Select(g =>
        {
            var t = g.ToList();
            int instructions = t.Sum(r => r.IfEvalStrict!.Count);
            var c = g.Key;
            return new IfEvalRow(c.Model, c.DefenseOrder, c.Press, c.Remedy, c.Ratio, t.Count,
                Stats.Fraction(t.Count(r => r.IfEvalStrict!.All(x => x)), t.Count),
                Stats.Fraction(t.Count(r => r.IfEvalLoose!.All(x => x)), t.Count),
                instructions,
                Stats.Fraction(t.Sum(r => r.IfEvalStrict!.Count(x => x)), instructions),
                Stats.Fraction(t.Sum(r => r.IfEvalLoose!.Count(x => x)), instructions));
        }).ToList();

    public static IReadOnlyList<IfEvalBreakdownRow> PerFamily(IEnumerable<TrialResult> ok) => Breakdown(ok, Stats.Family);

    public static IReadOnlyList<IfEvalBreakdownRow> PerInstruction(IEnumerable<TrialResult> ok) => Breakdown(ok, id => id);

    static IReadOnlyList<IfEvalBreakdownRow> Breakdown(IEnumerable<TrialResult> ok, Func<string, string> keyOf) =>
        Trials(ok)
            .SelectMany(r => r.IfEvalInstructionIds!.Select((id, i) =>
                (Cell: Condition.Of(r), Key: keyOf(id), Strict: At(r.IfEvalStrict!, i, r), Loose: At(r.IfEvalLoose!, i, r))))
            .GroupBy(v => (v.Cell, v.Key))
            .OrderBy(g => g.Key.Cell).ThenBy(g => g.Key.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                int n = g.Count();
                var c = g.Key.Cell;
                return new IfEvalBreakdownRow(c.Model, c.DefenseOrder, c.Press, c.Remedy, c.Ratio, g.Key.Key, n,
                    Stats.Fraction(g.Count(v => v.Strict), n), Stats.Fraction(g.Count(v => v.Loose), n));
            }).ToList();

    static bool At(IReadOnlyList<bool> verdicts, int i, TrialResult r) => i < verdicts.Count ? verdicts[i]
        : throw new KvGridException($"trial {r.TrialId}: {r.IfEvalInstructionIds!.Count} IFEval instruction ids but {verdicts.Count} verdicts");

    /// <summary>
    /// Ranks each plain press's instructions by how early they degrade: the smallest ratio whose strict accuracy
    /// is below half the ratio-0 accuracy. Groups without a ratio-0 row are skipped (the coverage notes say so).
    /// </summary>
    public static IReadOnlyList<InstructionDegradationRow> Degradation(IReadOnlyList<IfEvalBreakdownRow> perInstruction)
    {
        var rows = new List<InstructionDegradationRow>();
        foreach (var group in perInstruction.Where(r => r.Remedy == Remedies.None)
                     .GroupBy(r => (r.Model, r.DefenseOrder, r.Press))
                     .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.DefenseOrder, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.Press, StringComparer.Ordinal))
        {
            var ranked = new List<InstructionDegradationRow>();
            foreach (var byId in group.GroupBy(r => r.Instruction))
            {
                var curve = byId.OrderBy(r => r.Ratio).ToList();
                var baseline = curve.FirstOrDefault(r => r.Ratio == 0);
                if (baseline is null) continue;
                var half = baseline.Strict > 0 ? curve.FirstOrDefault(r => r.Ratio > 0 && r.Strict < baseline.Strict / 2) : null;
                ranked.Add(new InstructionDegradationRow(group.Key.Model, group.Key.DefenseOrder, group.Key.Press, 0, byId.Key,
                    baseline.Instructions, baseline.Strict, half?.Ratio, half?.Strict, curve[^1].Ratio, curve[^1].Strict));
            }
            // Earliest collapse first; never-collapsing instructions last, the weaker at the top ratio first.
            var ordered = ranked.OrderBy(r => r.HalfRatio ?? double.PositiveInfinity)
                .ThenBy(r => r.StrictAtMaxRatio - r.BaselineStrict).ThenBy(r => r.Instruction, StringComparer.Ordinal)
                .Select((r, i) => r with { Rank = i + 1 });
            rows.AddRange(ordered);
        }
        return rows;
    }
}
