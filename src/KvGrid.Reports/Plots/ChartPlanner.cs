using System.Text;
using KvGrid.Reports.Analysis;

namespace KvGrid.Reports.Plots;

/// <summary>
/// Decides which charts a report has, from its tables: one panel per model and defense order (and attack
/// category), one line per press. Curves show the plain press (remedy none); remedies are compared in tables.
/// </summary>
public static class ChartPlanner
{
    public const string Ratio = "compression ratio";

    public static IReadOnlyList<Chart> Plan(ReportData d)
    {
        var charts = new List<Chart>();
        foreach (var panel in Panels(d.Leakage.Where(Plain), r => (r.Model, r.DefenseOrder)))
            charts.Add(new LineChart(FileName("leakage_success", panel.Key.Model, panel.Key.DefenseOrder),
                $"Defense success: {panel.Key.Model}, {panel.Key.DefenseOrder}", Ratio, "defense success (1 - leak rate)",
                Lines(panel, r => r.Press, r => r.Ratio, r => r.DefenseSuccess), -0.05, 1.05));

        foreach (var panel in Panels(d.LeakageByAttack.Where(r => r.Remedy == Remedies.None), r => (r.Model, r.DefenseOrder, r.AttackCategory)))
            charts.Add(new LineChart(FileName("leakage_attack", panel.Key.Model, panel.Key.DefenseOrder, panel.Key.AttackCategory),
                $"Defense success, {panel.Key.AttackCategory} attacks: {panel.Key.Model}, {panel.Key.DefenseOrder}", Ratio,
                "defense success (1 - leak rate)", Lines(panel, r => r.Press, r => r.Ratio, r => r.DefenseSuccess), -0.05, 1.05));

        foreach (var panel in Panels(d.RougeDistribution.Where(r => r.Remedy == Remedies.None), r => (r.Model, r.DefenseOrder)))
            charts.Add(RougeBoxes(panel.Key.Model, panel.Key.DefenseOrder, panel.ToList()));

        foreach (var panel in Panels(d.IfEval.Where(r => r.Remedy == Remedies.None), r => (r.Model, r.DefenseOrder)))
        {
            charts.Add(new LineChart(FileName("ifeval_prompt", panel.Key.Model, panel.Key.DefenseOrder),
                $"IFEval prompt-level accuracy: {panel.Key.Model}, {panel.Key.DefenseOrder}", Ratio, "accuracy (solid strict, dashed loose)",
                [.. Lines(panel, r => r.Press, r => r.Ratio, r => r.PromptStrict, " strict"),
                 .. Lines(panel, r => r.Press, r => r.Ratio, r => r.PromptLoose, " loose", dashed: true)], -0.05, 1.05));
            charts.Add(new LineChart(FileName("ifeval_instruction", panel.Key.Model, panel.Key.DefenseOrder),
                $"IFEval instruction-level accuracy: {panel.Key.Model}, {panel.Key.DefenseOrder}", Ratio, "accuracy (solid strict, dashed loose)",
                [.. Lines(panel, r => r.Press, r => r.Ratio, r => r.InstructionStrict, " strict"),
                 .. Lines(panel, r => r.Press, r => r.Ratio, r => r.InstructionLoose, " loose", dashed: true)], -0.05, 1.05));
        }

        foreach (var panel in Panels(d.IfEvalByFamily.Where(r => r.Remedy == Remedies.None), r => (r.Model, r.DefenseOrder, r.Press)))
            charts.Add(new LineChart(FileName("ifeval_family", panel.Key.Model, panel.Key.DefenseOrder, panel.Key.Press),
                $"IFEval strict accuracy per family: {panel.Key.Model}, {panel.Key.DefenseOrder}, {panel.Key.Press}", Ratio,
                "instruction-level strict accuracy", Lines(panel, r => r.Instruction, r => r.Ratio, r => r.Strict), -0.05, 1.05));

        foreach (var panel in Panels(d.EvictionBias.Where(r => r.Remedy == Remedies.None), r => (r.Model, r.DefenseOrder)))
        {
            var series = new List<LineSeries>();
            series.AddRange(Lines(panel.Where(r => r.DefenseKeep.HasValue), r => r.Press, r => r.Ratio, r => 100 * r.DefenseKeep!.Value, " defense"));
            series.AddRange(Lines(panel.Where(r => r.SystemKeep.HasValue), r => r.Press, r => r.Ratio, r => 100 * r.SystemKeep!.Value, " system", dashed: true));
            if (series.Count > 0)
                charts.Add(new LineChart(FileName("eviction", panel.Key.Model, panel.Key.DefenseOrder),
                    $"Tokens kept per span: {panel.Key.Model}, {panel.Key.DefenseOrder}", Ratio, "kept % (solid defense, dashed system)",
                    series, -5, 105));
        }

        foreach (var panel in Panels(d.RemedyDeltas.Where(r => PlottedRemedyMetrics.Contains(r.Metric)), r => (r.Model, r.DefenseOrder, r.Metric)))
            charts.Add(new LineChart(FileName("remedy", panel.Key.Model, panel.Key.DefenseOrder, panel.Key.Metric),
                $"Remedy minus plain press, {panel.Key.Metric}: {panel.Key.Model}, {panel.Key.DefenseOrder}", Ratio,
                "delta (bars: 95% bootstrap CI)",
                panel.GroupBy(r => $"{r.Press} {r.Remedy}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
                {
                    var points = g.OrderBy(r => r.Ratio).ToList();
                    bool ci = points.All(r => !double.IsNaN(r.CiLow));
                    return new LineSeries(g.Key, g.Key, points.Select(r => r.Ratio).ToList(), points.Select(r => r.Delta).ToList(),
                        YLow: ci ? points.Select(r => r.CiLow).ToList() : null, YHigh: ci ? points.Select(r => r.CiHigh).ToList() : null);
                }).ToList(), -1.05, 1.05, ReferenceY: 0));

        foreach (var panel in Panels(d.Throughput.Where(r => r.Remedy == Remedies.None && !double.IsNaN(r.KvMemorySaved)), r => r.Model))
        {
            var series = new List<LineSeries>();
            series.AddRange(Lines(panel.Where(r => r.DefenseSuccess.HasValue), r => r.Press, r => 100 * r.KvMemorySaved, r => r.DefenseSuccess!.Value, " defense success"));
            series.AddRange(Lines(panel.Where(r => r.IfEvalPromptStrict.HasValue), r => r.Press, r => 100 * r.KvMemorySaved, r => r.IfEvalPromptStrict!.Value, " IFEval prompt strict", dashed: true));
            if (series.Count > 0)
                charts.Add(new LineChart(FileName("throughput", panel.Key), $"Quality against KV memory saved: {panel.Key}",
                    "KV memory saved (%)", "quality (solid defense success, dashed IFEval)", series, -0.05, 1.05));
        }
        return charts;
    }

    /// <summary>The remedy metrics drawn (the loose variants are in the table only).</summary>
    static readonly string[] PlottedRemedyMetrics = [RemedyAnalysis.DefenseSuccess, RemedyAnalysis.IfEvalPromptStrict, RemedyAnalysis.IfEvalInstructionStrict];

    static bool Plain(LeakageRow r) => r.Remedy == Remedies.None;

    static IEnumerable<IGrouping<TKey, T>> Panels<T, TKey>(IEnumerable<T> rows, Func<T, TKey> key) => rows.GroupBy(key);

    /// <summary>One series per line key (press, family), points ordered by x.</summary>
    static List<LineSeries> Lines<T>(IEnumerable<T> rows, Func<T, string> lineKey, Func<T, double> x, Func<T, double> y,
        string suffix = "", bool dashed = false) =>
        rows.GroupBy(lineKey).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var points = g.Select(r => (X: x(r), Y: y(r))).Where(p => !double.IsNaN(p.Y)).OrderBy(p => p.X).ToList();
            return new LineSeries(g.Key + suffix, g.Key, points.Select(p => p.X).ToList(), points.Select(p => p.Y).ToList(), dashed);
        }).Where(s => s.X.Count > 0).ToList();

    static BoxChart RougeBoxes(string model, string order, List<RougeDistributionRow> rows)
    {
        var presses = rows.Select(r => r.Press).Distinct().Order(StringComparer.Ordinal).ToList();
        var ratios = rows.Select(r => r.Ratio).Distinct().Order().ToList();
        // Boxes of the presses side by side around each ratio, within the smallest gap between ratios.
        double gap = ratios.Count > 1 ? ratios.Zip(ratios.Skip(1), (a, b) => b - a).Min() : 0.1;
        double width = 0.8 * gap / presses.Count;
        var boxes = rows.Select(r =>
        {
            double offset = (presses.IndexOf(r.Press) - (presses.Count - 1) / 2.0) * width;
            return new BoxItem(r.Press, r.Ratio + offset, r.Min, r.P25, r.Median, r.P75, r.Max);
        }).ToList();
        return new BoxChart(FileName("rougel_recall", model, order), $"ROUGE-L recall of the system prompt: {model}, {order}",
            Ratio, "ROUGE-L recall (leak above 0.3)", boxes, width * 0.9);
    }

    /// <summary>plots/PREFIX_PART_PART.png with each part reduced to [a-z0-9.-].</summary>
    public static string FileName(string prefix, params string[] parts)
    {
        var name = new StringBuilder(prefix);
        foreach (var part in parts)
        {
            name.Append('_');
            foreach (var ch in part.ToLowerInvariant())
                name.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' ? ch : '-');
        }
        return $"plots/{name}.png";
    }
}
