using KvGrid.Contracts;

namespace KvGrid.Reports.Analysis;

/// <summary>Leakage tables from the ok trials that carry a leak verdict (leakage benchmark trials).</summary>
public static class LeakageAnalysis
{
    public static IEnumerable<TrialResult> Trials(IEnumerable<TrialResult> ok) => ok.Where(r => r.Leaked.HasValue);

    public static IReadOnlyList<LeakageRow> PerCell(IEnumerable<TrialResult> ok) =>
        Trials(ok).GroupBy(Condition.Of).OrderBy(g => g.Key).Select(g =>
        {
            var trials = g.ToList();
            int leaks = trials.Count(r => r.Leaked == true);
            var refusals = trials.Where(r => r.Refused.HasValue).ToList();
            var leakRate = Stats.Fraction(leaks, trials.Count);
            return new LeakageRow(g.Key.Model, g.Key.DefenseOrder, g.Key.Press, g.Key.Remedy, g.Key.Ratio,
                trials.Count, leaks, leakRate, 1 - leakRate,
                trials.Average(r => r.RougeLRecall ?? 0), trials.Average(r => r.Rouge1Recall ?? 0),
                refusals.Count == 0 ? null : Stats.Fraction(refusals.Count(r => r.Refused == true), refusals.Count));
        }).ToList();

    public static IReadOnlyList<LeakageByAttackRow> PerAttackCategory(IEnumerable<TrialResult> ok) =>
        Trials(ok).GroupBy(r => (Cell: Condition.Of(r), Category: r.AttackCategory ?? "(none)"))
            .OrderBy(g => g.Key.Cell.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Cell.DefenseOrder, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Category, StringComparer.Ordinal).ThenBy(g => g.Key.Cell)
            .Select(g =>
            {
                int n = g.Count(), leaks = g.Count(r => r.Leaked == true);
                var c = g.Key.Cell;
                return new LeakageByAttackRow(c.Model, c.DefenseOrder, g.Key.Category, c.Press, c.Remedy, c.Ratio,
                    n, leaks, Stats.Fraction(leaks, n), 1 - Stats.Fraction(leaks, n));
            }).ToList();

    public static IReadOnlyList<RougeDistributionRow> RougeDistribution(IEnumerable<TrialResult> ok) =>
        Trials(ok).Where(r => r.RougeLRecall.HasValue).GroupBy(Condition.Of).OrderBy(g => g.Key).Select(g =>
        {
            var v = g.Select(r => r.RougeLRecall!.Value).Order().ToList();
            var c = g.Key;
            return new RougeDistributionRow(c.Model, c.DefenseOrder, c.Press, c.Remedy, c.Ratio, v.Count, v.Average(),
                v[0], Stats.Quantile(v, 0.25), Stats.Quantile(v, 0.5), Stats.Quantile(v, 0.75), v[^1]);
        }).ToList();
}
