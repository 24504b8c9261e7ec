namespace KvGrid.Results;

/// <summary>`kvgrid results export`: the stored rows of a sweep (or all) to a CSV or Parquet file.</summary>
public static class ResultsExporter
{
    public static readonly IReadOnlyList<string> Formats = ["csv", "parquet"];

    /// <summary>
    /// Writes the rows to <paramref name="path"/> (its folder is created) and returns their number. The file is
    /// written beside the target and moved into place at the end, so a failed export leaves no partial file.
    /// </summary>
    public static async Task<long> ExportAsync(IResultsStore store, string? sweepId, string format, string path, CancellationToken ct = default)
    {
        var kind = format.Trim().ToLowerInvariant();
        if (!Formats.Contains(kind)) throw new KvGridException($"export format '{format}': expected csv or parquet");
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".partial";
        try
        {
            var rows = store.ReadAsync(sweepId, ct);
            var n = kind == "csv" ? await ResultsCsv.WriteAsync(rows, temp, ct) : await ResultsParquet.WriteAsync(rows, temp, ct);
            File.Move(temp, full, overwrite: true);
            return n;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
