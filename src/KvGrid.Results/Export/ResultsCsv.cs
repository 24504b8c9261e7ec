using KvGrid.Contracts;
using System.Text;
using KvGrid.Results.Storage;

namespace KvGrid.Results;

/// <summary>
/// Trial rows as CSV: a header of the store's column names, one record per trial (see <see cref="CsvCells"/> for
/// the cell forms). Writing and reading back is lossless for every field of <see cref="TrialResult"/>.
/// </summary>
public static class ResultsCsv
{
    static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task<long> WriteAsync(IAsyncEnumerable<TrialResult> rows, TextWriter writer, CancellationToken ct = default)
    {
        await writer.WriteAsync(string.Join(",", TrialColumns.All.Select(c => c.Name)) + "\r\n");
        long n = 0;
        var line = new StringBuilder();
        await foreach (var row in rows.WithCancellation(ct))
        {
            line.Clear();
            for (int i = 0; i < TrialColumns.All.Count; i++)
            {
                if (i > 0) line.Append(',');
                line.Append(CsvCells.Quote(CsvCells.Format(TrialColumns.All[i].Get(row))));
            }
            line.Append("\r\n");
            await writer.WriteAsync(line, ct);
            n++;
        }
        await writer.FlushAsync(ct);
        return n;
    }

    public static async Task<long> WriteAsync(IAsyncEnumerable<TrialResult> rows, string path, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(path, append: false, Utf8NoBom);
        return await WriteAsync(rows, writer, ct);
    }

    /// <summary>Reads an exported CSV file (columns in any order; every trial column must be present).</summary>
    public static IReadOnlyList<TrialResult> Read(string path)
    {
        if (!File.Exists(path)) throw new KvGridException($"{path}: not found");
        using var text = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(text, path);
    }

    public static IReadOnlyList<TrialResult> Read(TextReader text, string file)
    {
        var records = new CsvRecordReader(text, file);
        var first = records.Next() ?? throw new KvGridException($"{file}:1: empty file (expected a header row)");
        var header = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < first.Fields.Count; i++)
            if (!header.TryAdd(first.Fields[i].Value, i))
                throw new KvGridException($"{file}:{first.Line}: column '{first.Fields[i].Value}' appears twice in the header");
        foreach (var c in TrialColumns.All)
            if (!header.ContainsKey(c.Name) && !TrialColumns.AddedLater.Contains(c.Name)) throw new KvGridException($"{file}:{first.Line}: the header has no column '{c.Name}'");

        var cells = new CsvCellReader(file, header);
        var rows = new List<TrialResult>();
        while (records.Next() is { } record)
        {
            cells.Load(record.Line, record.Fields);
            rows.Add(TrialCells.FromCells(cells));
        }
        return rows;
    }
}
