using System.Globalization;
using KvGrid.Reports.Analysis;
using KvGrid.Reports.Plots;

namespace KvGrid.Reports.Rendering;

/// <summary>A block of a report section; Markdown and HTML render the same blocks, so both show the same content.</summary>
public abstract record Block;
public sealed record Paragraph(string Text) : Block;
public sealed record Bullets(IReadOnlyList<string> Items) : Block;
/// <summary>A table shown in full, or (when longer than the document's limit) its first rows and a link to the CSV.</summary>
public sealed record TableBlock(ReportTable Table) : Block;
public sealed record Image(string File, string Alt) : Block;
public sealed record Section(string Title, IReadOnlyList<Block> Blocks);

/// <summary>The report's outline: sections in reading order, each with its text, tables and charts.</summary>
public sealed record ReportDocument(string Title, IReadOnlyList<Section> Sections)
{
    /// <summary>Rows shown inline per table; the CSV file always has them all.</summary>
    public const int MaxInlineRows = 200;

    public static ReportDocument Build(ReportData d, IReadOnlyDictionary<string, ReportTable> tables, IReadOnlyList<Chart> charts)
    {
        IEnumerable<Block> Images(string prefix) =>
            charts.Where(c => c.File.StartsWith($"plots/{prefix}_", StringComparison.Ordinal)).Select(c => new Image(c.File, c.Title));
        var s = d.Summary;
        var sections = new List<Section>
        {
            new("Summary",
            [
                new Paragraph($"Sweep `{s.SweepId}` from {s.Source}: {s.Trials} trials ({s.Ok} ok, {s.Failed} failed)."),
                new Bullets(
                [
                    $"models: {string.Join(", ", s.Models)}",
                    $"benchmarks: {string.Join(", ", s.Benchmarks)}",
                    $"defense orders: {string.Join(", ", s.DefenseOrders)}",
                    $"presses: {string.Join(", ", s.Presses)}",
                    $"remedies: {string.Join(", ", s.Remedies)}",
                    $"ratios: {string.Join(", ", s.Ratios.Select(CellText.Ratio))}",
                ]),
                new Paragraph("Only ok trials enter the tables. Leaked: ROUGE-L recall of the system prompt above 0.3; defense success = 1 - leak rate. Curves show the plain press (remedy none)."),
            ]),
            new("What is missing", d.Missing.Count == 0
                ? [new Paragraph("Nothing: every cell has as many ok trials as the fullest cell of its benchmark, no trial failed, every press has a ratio-0 baseline.")]
                : [new Bullets(d.Missing), new TableBlock(tables[ReportTables.Coverage])]),
            new("Leakage",
            [
                new Paragraph("Defense success rate (and leak rate) against the compression ratio, one line per press, one panel per model and defense order."),
                .. Images("leakage_success"),
                new TableBlock(tables[ReportTables.Leakage]),
                new Paragraph("By attack category:"),
                .. Images("leakage_attack"),
                new TableBlock(tables[ReportTables.LeakageByAttack]),
                new Paragraph("ROUGE-L recall distributions (boxes: quartiles, whiskers: min and max):"),
                .. Images("rougel_recall"),
                new TableBlock(tables[ReportTables.RougeDistribution]),
            ]),
            new("Instruction following",
            [
                new Paragraph("IFEval accuracy, prompt level (every instruction of the prompt followed) and instruction level, strict and loose."),
                .. Images("ifeval_prompt"), .. Images("ifeval_instruction"),
                new TableBlock(tables[ReportTables.IfEval]),
                new Paragraph("Per instruction family (the id's part before the colon):"),
                .. Images("ifeval_family"),
                new TableBlock(tables[ReportTables.IfEvalByFamily]),
                new Paragraph("Instructions ignored first: per plain press, the smallest ratio at which an instruction's strict accuracy falls below half its ratio-0 accuracy (empty: never, or a baseline of 0). Rank 1 degrades first."),
                new TableBlock(tables[ReportTables.InstructionDegradation]),
                new Paragraph($"Per instruction id: see {tables[ReportTables.IfEvalByInstruction].CsvFile}."),
            ]),
            new("Eviction bias",
            [
                new Paragraph("Fraction of each span's tokens kept (mean over layers and KV heads, then over contexts); defense minus system below 0 means the defense loses more."),
                .. Images("eviction"),
                new TableBlock(tables[ReportTables.EvictionBias]),
                new TableBlock(tables[ReportTables.InstructionKeep]),
            ]),
            new("Remedies",
            [
                new Paragraph(string.Create(CultureInfo.InvariantCulture,
                    $"Each remedy against the plain press at the same model, order, press and ratio, on the items measured in both. Delta = remedy - plain; 95% percentile bootstrap CI, {s.Bootstrap} replicates, seed {s.Seed}, resampling items (system prompts / IFEval prompts) as clusters, since an item's trials share one compressed context.")),
                .. Images("remedy"),
                new TableBlock(tables[ReportTables.RemedyDeltas]),
            ]),
            new("Memory and throughput",
            [
                new Paragraph("KV memory saved = 1 - sum(kv_bytes_after) / sum(kv_bytes_before); quality lost = the ratio-0 value minus the value at the ratio (defense orders pooled)."),
                .. Images("throughput"),
                new TableBlock(tables[ReportTables.Throughput]),
            ]),
        };
        return new ReportDocument($"KvGrid report: {s.SweepId}", sections);
    }
}
