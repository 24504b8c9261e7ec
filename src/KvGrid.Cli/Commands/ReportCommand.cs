using System.CommandLine;
using KvGrid.Reports;
using KvGrid.Reports.Analysis;
using KvGrid.Reports.Input;

namespace KvGrid.Cli.Commands;

/// <summary>`kvgrid report`: the paper's tables and plots from a sweep's results (report.md, index.html, CSV, PNG).</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var results = new Option<string>("--results")
        {
            Description = "results: a store (sqlite:PATH, a .db file, Host=... or postgresql://...) or an exported FILE.csv / FILE.parquet",
            Required = true,
        };
        var sweep = new Option<string?>("--sweep") { Description = "the sweep to report on (needed when the results hold several)" };
        var output = new Option<string>("--out") { Description = "folder to write report.md, index.html, tables/ and plots/ into", Required = true };
        var bootstrap = new Option<int>("--bootstrap") { Description = "bootstrap replicates for the remedy CIs (0: no CIs)", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 42 };
        var cmd = new Command("report", "Tables and plots of a sweep's results: leakage, IFEval, eviction bias, remedies, memory")
        {
            results, sweep, output, bootstrap, seed,
        };
        cmd.SetRunAsync(async (p, ct) =>
        {
            var (rows, source) = await ReportInput.LoadAsync(p.GetValue(results)!, p.GetValue(sweep), ct);
            var outDir = p.GetValue(output)!;
            var written = ReportWriter.Write(rows, source, outDir, new ReportOptions(p.GetValue(bootstrap), p.GetValue(seed)));
            var s = written.Data.Summary;
            Console.WriteLine($"sweep {s.SweepId}: {s.Trials} trials ({s.Ok} ok, {s.Failed} failed) -> {Path.GetFullPath(outDir)}");
            Console.WriteLine($"  report.md, index.html, {written.Tables.Count} tables, {written.Plots.Count} plots");
            foreach (var note in written.Data.Missing) Console.WriteLine($"  missing: {note}");
            return 0;
        });
        return cmd;
    }
}
