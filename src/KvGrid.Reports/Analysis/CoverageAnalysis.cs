using KvGrid.Contracts;
using System.Globalization;

namespace KvGrid.Reports.Analysis;

/// <summary>
/// What the rows cover and what they lack: trials per cell, failed trials, cells with fewer trials than the
/// fullest cell of their benchmark (a running or interrupted sweep), ratios without an uncompressed baseline,
/// remedies without a plain-press comparison. Each note is one line.
/// </summary>
public static class CoverageAnalysis
{
    const int MaxListed = 20;

    public static IReadOnlyList<CoverageRow> Cells(IReadOnlyList<TrialResult> rows) =>
        rows.GroupBy(r => (r.Benchmark, r.Defense, Cell: Condition.Of(r)))
            .OrderBy(g => g.Key.Benchmark, StringComparer.Ordinal).ThenBy(g => g.Key.Defense, StringComparer.Ordinal).ThenBy(g => g.Key.Cell)
            .Select(g => new CoverageRow(g.Key.Benchmark, g.Key.Cell.Model, g.Key.Defense, g.Key.Cell.DefenseOrder, g.Key.Cell.Press,
                g.Key.Cell.Remedy, g.Key.Cell.Ratio, g.Count(r => r.Status == TrialStatus.Ok), g.Count(r => r.Status != TrialStatus.Ok)))
            .ToList();

    public static IReadOnlyList<string> Missing(IReadOnlyList<TrialResult> rows, IReadOnlyList<CoverageRow> cells)
    {
        var notes = new List<string>();
        int failed = rows.Count(r => r.Status != TrialStatus.Ok);
        if (failed > 0)
        {
            var worst = cells.Where(c => c.Failed > 0).OrderByDescending(c => c.Failed).Take(5)
                .Select(c => $"{Name(c)}: {c.Failed}");
            notes.Add($"{failed} of {rows.Count} trials failed and are left out of every table (most in {string.Join("; ", worst)}).");
        }

        var shortCells = new List<string>();
        foreach (var benchmark in cells.GroupBy(c => c.Benchmark))
        {
            int full = benchmark.Max(c => c.Ok);
            shortCells.AddRange(benchmark.Where(c => c.Ok < full).Select(c => $"{Name(c)} has {c.Ok} ok trials of {full}"));
        }
        AddListed(notes, shortCells, "cells have fewer ok trials than the fullest cell of their benchmark (a running or incomplete sweep?)");

        var noBaseline = cells.Where(c => c.Ok > 0).GroupBy(c => (c.Benchmark, c.Model, c.DefenseOrder, c.Press))
            .Where(g => g.Any(c => c.Ratio > 0) && !g.Any(c => c.Ratio == 0))
            .Select(g => $"{g.Key.Benchmark} / {g.Key.Model} / {g.Key.DefenseOrder} / {g.Key.Press} (ratios {Ratios(g.Select(c => c.Ratio))})")
            .ToList();
        AddListed(notes, noBaseline, "groups have no ratio-0 (uncompressed) baseline: degradation ranks and quality lost are not computed for them");

        var unpaired = cells.Where(c => c.Ok > 0 && c.Remedy != Remedies.None)
            .Where(c => !cells.Any(p => p.Ok > 0 && p.Remedy == Remedies.None && p.Benchmark == c.Benchmark && p.Model == c.Model
                && p.DefenseOrder == c.DefenseOrder && p.Press == c.Press && p.Ratio == c.Ratio))
            .Select(Name).ToList();
        AddListed(notes, unpaired, "remedy cells have no plain-press (remedy none) cell to compare with");

        if (!rows.Any(r => r.Status == TrialStatus.Ok && r.Leaked.HasValue)) notes.Add("No leakage trials (with a leak verdict): the leakage sections are empty.");
        if (!rows.Any(r => r.Status == TrialStatus.Ok && r.IfEvalInstructionIds is { Count: > 0 })) notes.Add("No IFEval trials (with instruction verdicts): the instruction-following sections are empty.");
        if (!rows.Any(r => r.Status == TrialStatus.Ok && r.SpanKeep is { Count: > 0 })) notes.Add("No trial records span keep fractions: the eviction-bias section is empty.");
        return notes;
    }

    static void AddListed(List<string> notes, List<string> items, string what)
    {
        if (items.Count == 0) return;
        var shown = string.Join("; ", items.Take(MaxListed));
        var more = items.Count > MaxListed ? $"; and {items.Count - MaxListed} more (see coverage.csv)" : "";
        notes.Add($"{items.Count} {what}: {shown}{more}.");
    }

    static string Name(CoverageRow c) =>
        $"{c.Benchmark} / {c.Model} / {c.Defense} / {c.DefenseOrder} / {c.Press} / remedy {c.Remedy} / ratio {c.Ratio.ToString("0.###", CultureInfo.InvariantCulture)}";

    static string Ratios(IEnumerable<double> ratios) =>
        string.Join(", ", ratios.Distinct().Order().Select(r => r.ToString("0.###", CultureInfo.InvariantCulture)));
}
