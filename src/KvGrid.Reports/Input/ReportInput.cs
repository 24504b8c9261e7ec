using KvGrid.Contracts;
using KvGrid.Results;

namespace KvGrid.Reports.Input;

/// <summary>
/// Loads the trial rows a report is made from: an exported CSV or Parquet file (by extension), or a results
/// store (anything <see cref="ResultsStore.Open"/> accepts). One sweep per report: rows of several sweeps are an
/// error unless <c>--sweep</c> picks one, since mixing sweeps would pool trials of different specs into one cell.
/// </summary>
public static class ReportInput
{
    /// <summary>The rows of the chosen sweep and a description of where they came from ("demo.csv", "sqlite /tmp/x.db").</summary>
    public static async Task<(IReadOnlyList<TrialResult> Rows, string Source)> LoadAsync(string results, string? sweepId, CancellationToken ct = default)
    {
        var spec = results.Trim();
        if (spec.Length == 0) throw new KvGridException("--results: empty (use a store connection, FILE.csv or FILE.parquet)");
        IReadOnlyList<TrialResult> rows;
        string source;
        if (spec.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            rows = ResultsCsv.Read(spec);
            source = spec;
        }
        else if (spec.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            rows = await ParquetResultsReader.ReadAsync(spec, ct);
            source = spec;
        }
        else
        {
            await using var store = await ResultsStore.OpenAsync(spec, mustExist: true, ct);
            var list = new List<TrialResult>();
            await foreach (var row in store.ReadAsync(sweepId, ct)) list.Add(row);
            rows = list;
            source = store.Description;
        }
        return (SelectSweep(rows, sweepId, source), source);
    }

    /// <summary>Keeps the rows of <paramref name="sweepId"/> (or of the only sweep present); a one-line error otherwise.</summary>
    public static IReadOnlyList<TrialResult> SelectSweep(IReadOnlyList<TrialResult> rows, string? sweepId, string source)
    {
        var sweeps = rows.Select(r => r.SweepId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (sweepId is not null)
        {
            var chosen = rows.Where(r => r.SweepId == sweepId).ToList();
            if (chosen.Count == 0)
                throw new KvGridException(sweeps.Count == 0
                    ? $"{source}: no trials (sweep '{sweepId}' has none)"
                    : $"{source}: no trials of sweep '{sweepId}' (present: {string.Join(", ", sweeps)})");
            return chosen;
        }
        if (sweeps.Count == 0) throw new KvGridException($"{source}: no trials to report on");
        if (sweeps.Count > 1)
            throw new KvGridException($"{source}: holds {sweeps.Count} sweeps ({string.Join(", ", sweeps)}): choose one with --sweep");
        return rows;
    }
}
