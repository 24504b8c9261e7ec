using KvGrid.Contracts;

namespace KvGrid.Reports.Analysis;

/// <summary>KV memory saved against quality lost, per model, press, remedy and ratio (defense orders pooled).</summary>
public static class ThroughputAnalysis
{
    public static IReadOnlyList<ThroughputRow> Rows(IReadOnlyList<TrialResult> ok)
    {
        var cells = ok.GroupBy(r => (r.Model, r.Press, r.Remedy, r.Ratio))
            .OrderBy(g => new Condition(g.Key.Model, "", g.Key.Press, g.Key.Remedy, g.Key.Ratio))
            .Select(g => (g.Key, Trials: g.ToList(), Quality: Quality(g.ToList())))
            .ToList();
        var quality = cells.ToDictionary(c => c.Key, c => c.Quality);
        return cells.Select(c =>
        {
            var (model, press, remedy, ratio) = c.Key;
            // Ratio 0 is uncompressed whatever the remedy; fall back to the plain press's ratio-0 cell.
            var baseline = quality.TryGetValue((model, press, remedy, 0.0), out var q) ? q
                : quality.TryGetValue((model, press, Remedies.None, 0.0), out q) ? q : ((double?)null, (double?)null);
            long before = c.Trials.Sum(r => r.KvBytesBefore), after = c.Trials.Sum(r => r.KvBytesAfter);
            double decodeSeconds = c.Trials.Sum(r => r.DecodeMs) / 1000;
            long generated = c.Trials.Sum(r => (long)r.GeneratedTokens);
            return new ThroughputRow(model, press, remedy, ratio, c.Trials.Count,
                before > 0 ? 1 - (double)after / before : double.NaN,
                c.Trials.Average(r => r.PrefillMs), c.Trials.Average(r => r.DecodeMs),
                decodeSeconds > 0 ? generated / decodeSeconds : null,
                c.Quality.Success, baseline.Item1 - c.Quality.Success,
                c.Quality.PromptStrict, baseline.Item2 - c.Quality.PromptStrict);
        }).ToList();
    }

    static (double? Success, double? PromptStrict) Quality(List<TrialResult> trials)
    {
        var leak = trials.Where(r => r.Leaked.HasValue).ToList();
        var ifeval = IfEvalAnalysis.Trials(trials).ToList();
        return (leak.Count == 0 ? null : 1 - Stats.Fraction(leak.Count(r => r.Leaked == true), leak.Count),
            ifeval.Count == 0 ? null : Stats.Fraction(ifeval.Count(r => r.IfEvalStrict!.All(x => x)), ifeval.Count));
    }
}
