using KvGrid.Contracts;

namespace KvGrid.Reports.Analysis;

/// <summary>
/// Remedies (whitelist, fair eviction, ...) against the plain press at the same model, order, press and ratio.
/// Pairing and resampling unit: the item (system prompt / IFEval prompt), since the trials of one item share a
/// compressed context and are correlated; only items measured in both arms enter the comparison.
/// </summary>
public static class RemedyAnalysis
{
    public const string DefenseSuccess = "defense_success";
    public const string IfEvalPromptStrict = "ifeval_prompt_strict";
    public const string IfEvalPromptLoose = "ifeval_prompt_loose";
    public const string IfEvalInstructionStrict = "ifeval_instruction_strict";
    public const string IfEvalInstructionLoose = "ifeval_instruction_loose";

    /// <summary>A metric as (hits, count) of one trial; pooled over a cluster's trials.</summary>
    sealed record Metric(string Name, Func<TrialResult, bool> Applies, Func<TrialResult, (double Hits, double Count)> Of);

    static readonly Metric[] Metrics =
    [
        new(DefenseSuccess, r => r.Leaked.HasValue, r => (r.Leaked == true ? 0 : 1, 1)),
        new(IfEvalPromptStrict, IsIfEval, r => (r.IfEvalStrict!.All(x => x) ? 1 : 0, 1)),
        new(IfEvalPromptLoose, IsIfEval, r => (r.IfEvalLoose!.All(x => x) ? 1 : 0, 1)),
        new(IfEvalInstructionStrict, IsIfEval, r => (r.IfEvalStrict!.Count(x => x), r.IfEvalStrict!.Count)),
        new(IfEvalInstructionLoose, IsIfEval, r => (r.IfEvalLoose!.Count(x => x), r.IfEvalLoose!.Count)),
    ];

    static bool IsIfEval(TrialResult r) => r.IfEvalInstructionIds is { Count: > 0 } && r.IfEvalStrict is not null && r.IfEvalLoose is not null;

    public static IReadOnlyList<RemedyDeltaRow> Deltas(IReadOnlyList<TrialResult> ok, int replicates, int seed)
    {
        var rows = new List<RemedyDeltaRow>();
        var byCell = ok.GroupBy(Condition.Of).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (cell, trials) in byCell.Where(kv => kv.Key.Remedy != Remedies.None).OrderBy(kv => kv.Key))
        {
            if (!byCell.TryGetValue(cell with { Remedy = Remedies.None }, out var plain)) continue;
            foreach (var metric in Metrics)
            {
                var treated = PerItem(trials, metric);
                var baseline = PerItem(plain, metric);
                var clusters = treated.Keys.Where(baseline.ContainsKey).Order(StringComparer.Ordinal)
                    .Select(item => new PairedCluster(treated[item].Hits, treated[item].Count, baseline[item].Hits, baseline[item].Count))
                    .Where(c => c.TreatedCount > 0 && c.BaselineCount > 0)
                    .ToList();
                if (clusters.Count == 0) continue;
                // Each row draws from its own stream, seeded by the run's seed and the row's identity, so adding
                // a press or a ratio to the sweep does not move the intervals of the other rows.
                var rowSeed = seed ^ Stats.StableHash($"{cell}|{metric.Name}");
                var (delta, low, high) = ClusterBootstrap.RateDifference(clusters, replicates, rowSeed);
                double value = clusters.Sum(c => c.TreatedHits) / clusters.Sum(c => c.TreatedCount);
                double basis = clusters.Sum(c => c.BaselineHits) / clusters.Sum(c => c.BaselineCount);
                rows.Add(new RemedyDeltaRow(cell.Model, cell.DefenseOrder, cell.Press, cell.Remedy, cell.Ratio, metric.Name,
                    clusters.Count, basis, value, delta, low, high));
            }
        }
        return rows;
    }

    static Dictionary<string, (double Hits, double Count)> PerItem(List<TrialResult> trials, Metric metric) =>
        trials.Where(metric.Applies).GroupBy(r => r.ItemId, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => g.Select(metric.Of).Aggregate((Hits: 0.0, Count: 0.0), (a, v) => (a.Hits + v.Hits, a.Count + v.Count)),
            StringComparer.Ordinal);
}
