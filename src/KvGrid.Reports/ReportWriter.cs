using KvGrid.Contracts;
using System.Text;
using KvGrid.Reports.Analysis;
using KvGrid.Reports.Plots;
using KvGrid.Reports.Rendering;

namespace KvGrid.Reports;

/// <summary>What a written report consists of (paths relative to its folder).</summary>
public sealed record WrittenReport(string OutDir, ReportData Data, IReadOnlyList<string> Tables, IReadOnlyList<string> Plots);

/// <summary>
/// Writes a report folder: report.md, index.html, tables/*.csv, plots/*.png. Computation (<see cref="ReportBuilder"/>)
/// happens first, so bad input fails before any file is written.
/// </summary>
public static class ReportWriter
{
    public static WrittenReport Write(IReadOnlyList<TrialResult> rows, string source, string outDir, ReportOptions options)
    {
        var data = ReportBuilder.Build(rows, source, options);
        return Write(data, outDir);
    }

    public static WrittenReport Write(ReportData data, string outDir)
    {
        var tables = ReportTables.All(data);
        var charts = ChartPlanner.Plan(data);
        var document = ReportDocument.Build(data, tables, charts);
        try { Directory.CreateDirectory(outDir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KvGridException($"--out {outDir}: cannot create the folder ({e.Message.ReplaceLineEndings(" ")})");
        }
        // A report written again into the same folder must not keep plots or tables of the previous run.
        foreach (var (folder, pattern) in new[] { ("plots", "*.png"), ("tables", "*.csv") })
            if (Directory.Exists(Path.Combine(outDir, folder)))
                foreach (var stale in Directory.GetFiles(Path.Combine(outDir, folder), pattern)) File.Delete(stale);
        foreach (var table in tables.Values) CsvTableWriter.Write(table, outDir);
        foreach (var chart in charts) ChartRenderer.Render(chart, outDir);
        var utf8 = new UTF8Encoding(false);
        File.WriteAllText(Path.Combine(outDir, "report.md"), MarkdownRenderer.Render(document), utf8);
        File.WriteAllText(Path.Combine(outDir, "index.html"), HtmlRenderer.Render(document), utf8);
        return new WrittenReport(outDir, data, tables.Values.Select(t => t.CsvFile).ToList(), charts.Select(c => c.File).ToList());
    }
}
