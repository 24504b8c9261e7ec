using System.Text.RegularExpressions;
using KvGrid.Reports.Analysis;
using KvGrid.Reports.Rendering;
using SkiaSharp;

namespace KvGrid.Reports.Tests;

/// <summary>The written folder: report.md and index.html with the same tables, every CSV, PNGs that are real pictures.</summary>
public class ReportFilesTests
{
    static readonly Lazy<(string Dir, WrittenReport Report)> Written = new(() =>
    {
        var dir = Fixture.TempDir();
        return (dir, ReportWriter.Write(Fixture.Rows(), "fixture", dir, new ReportOptions(200, 42)));
    });

    [Fact]
    public void Writes_the_expected_plots()
    {
        var plots = Written.Value.Report.Plots.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "plots/eviction_m_defense-first.png",
            "plots/ifeval_family_m_none_snapkv.png",
            "plots/ifeval_instruction_m_none.png",
            "plots/ifeval_prompt_m_none.png",
            "plots/leakage_attack_m_defense-first_direct.png",
            "plots/leakage_attack_m_defense-first_indirect.png",
            "plots/leakage_success_m_defense-first.png",
            "plots/remedy_m_defense-first_defense-success.png",
            "plots/rougel_recall_m_defense-first.png",
            "plots/throughput_m.png",
        ], plots);
    }

    [Fact]
    public void Plots_are_800_by_500_and_not_blank()
    {
        foreach (var plot in Written.Value.Report.Plots)
        {
            var path = Path.Combine(Written.Value.Dir, plot);
            using var bitmap = SKBitmap.Decode(path);
            Assert.NotNull(bitmap);
            Assert.Equal((800, 500), (bitmap.Width, bitmap.Height));
            var colours = new HashSet<uint>();
            int nonWhite = 0;
            for (int y = 0; y < bitmap.Height; y += 2)
                for (int x = 0; x < bitmap.Width; x += 2)
                {
                    var c = bitmap.GetPixel(x, y);
                    colours.Add((uint)c);
                    if (c != SKColors.White) nonWhite++;
                }
            // Axes, grid, text and coloured lines: many colours and a few percent of inked pixels.
            Assert.True(colours.Count > 20, $"{plot}: only {colours.Count} colours");
            Assert.True(nonWhite > 2000, $"{plot}: only {nonWhite} non-white sampled pixels");
        }
    }

    [Fact]
    public void Markdown_and_html_show_the_same_tables_and_link_existing_files()
    {
        var (dir, report) = Written.Value;
        var md = File.ReadAllText(Path.Combine(dir, "report.md"));
        var html = File.ReadAllText(Path.Combine(dir, "index.html"));
        foreach (var table in ReportTables.All(report.Data).Values)
        {
            Assert.True(File.Exists(Path.Combine(dir, table.CsvFile)), table.CsvFile);
            if (table.Id is ReportTables.IfEvalByInstruction or ReportTables.Coverage) continue; // linked only / shown when something is missing
            Assert.Contains($"**{table.Title}**", md);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(table.Title), html);
            foreach (var row in table.Rows)
            {
                Assert.Contains("| " + string.Join(" | ", row.Select(CellText.Display)) + " |", md);
                Assert.Contains("<tr>" + string.Concat(row.Select(c => "<td>" + System.Net.WebUtility.HtmlEncode(CellText.Display(c)) + "</td>")) + "</tr>", html);
            }
        }
        var mdImages = Regex.Matches(md, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        var htmlImages = Regex.Matches(html, "<img src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(mdImages, htmlImages);
        Assert.Equal(report.Plots.Order(StringComparer.Ordinal), mdImages.Order(StringComparer.Ordinal));
        Assert.All(mdImages, f => Assert.True(File.Exists(Path.Combine(dir, f)), f));
        // A hand-checked cell as displayed: plain press at 0.5, success 0.25, recall 0.5.
        Assert.Contains("| m | defense_first | knorm | none | 0.5 | 4 | 3 | 0.75 | 0.25 | 0.5 | 0.5 | 0.25 |", md);
    }

    [Fact]
    public void Rewriting_a_folder_drops_stale_plots()
    {
        var dir = Fixture.TempDir();
        ReportWriter.Write(Fixture.Rows(), "x", dir, new ReportOptions(10, 1));
        var ifevalOnly = Fixture.Rows().Where(r => r.Benchmark == "ifeval").ToList();
        var second = ReportWriter.Write(ifevalOnly, "x", dir, new ReportOptions(10, 1));
        Assert.Equal(second.Plots.Order(StringComparer.Ordinal),
            Directory.GetFiles(Path.Combine(dir, "plots")).Select(f => "plots/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));
        Assert.Contains("No leakage trials (with a leak verdict): the leakage sections are empty.", second.Data.Missing);
        Assert.Contains("No leakage trials", File.ReadAllText(Path.Combine(dir, "report.md")));
    }
}
