using KvGrid.Contracts;

namespace KvGrid.Reports.Analysis;

/// <summary>Options of the computation: bootstrap replicates and seed.</summary>
public sealed record ReportOptions(int Bootstrap = 1000, int Seed = 42);

/// <summary>Computes every table of a report from one sweep's trial rows (no I/O).</summary>
public static class ReportBuilder
{
    public static ReportData Build(IReadOnlyList<TrialResult> rows, string source, ReportOptions options)
    {
        if (rows.Count == 0) throw new KvGridException($"{source}: no trials to report on");
        if (options.Bootstrap < 0) throw new KvGridException($"--bootstrap {options.Bootstrap}: must be 0 or more");
        var sweeps = rows.Select(r => r.SweepId).Distinct().ToList();
        if (sweeps.Count > 1) throw new KvGridException($"{source}: rows of {sweeps.Count} sweeps ({string.Join(", ", sweeps.Order(StringComparer.Ordinal))}): report on one");

        // Trial-id order makes every sum (and so every last bit of a mean) independent of the input's row order:
        // a CSV export, the SQLite store and PostgreSQL give identical tables.
        rows = rows.OrderBy(r => r.TrialId, StringComparer.Ordinal).ToList();
        var ok = rows.Where(r => r.Status == TrialStatus.Ok).ToList();
        var coverage = CoverageAnalysis.Cells(rows);
        var byInstruction = IfEvalAnalysis.PerInstruction(ok);
        var summary = new ReportSummary(source, sweeps[0], rows.Count, ok.Count, rows.Count - ok.Count,
            Distinct(rows, r => r.Model), Distinct(rows, r => r.Benchmark), Distinct(rows, r => r.DefenseOrder),
            Distinct(rows, r => r.Press), Distinct(rows, r => r.Remedy),
            rows.Select(r => r.Ratio).Distinct().Order().ToList(), options.Bootstrap, options.Seed);
        return new ReportData(
            summary, coverage,
            LeakageAnalysis.PerCell(ok), LeakageAnalysis.PerAttackCategory(ok), LeakageAnalysis.RougeDistribution(ok),
            IfEvalAnalysis.PerCell(ok), IfEvalAnalysis.PerFamily(ok), byInstruction, IfEvalAnalysis.Degradation(byInstruction),
            EvictionAnalysis.Bias(ok), EvictionAnalysis.PerInstruction(ok),
            RemedyAnalysis.Deltas(ok, options.Bootstrap, options.Seed),
            ThroughputAnalysis.Rows(ok),
            CoverageAnalysis.Missing(rows, coverage));
    }

    static IReadOnlyList<string> Distinct(IReadOnlyList<TrialResult> rows, Func<TrialResult, string> axis) =>
        rows.Select(axis).Distinct().Order(StringComparer.Ordinal).ToList();
}
