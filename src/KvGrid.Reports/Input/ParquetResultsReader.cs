using KvGrid.Contracts;
using KvGrid.Results;
using KvGrid.Results.Storage;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace KvGrid.Reports.Input;

/// <summary>
/// Reads a Parquet file written by <see cref="ResultsParquet"/> back into trial rows: columns are found by name
/// (every store column must be present), cells go through <see cref="TrialCells.FromCells"/> like every other
/// storage layer, so the parsing rules (required fields, JSON lists) are the store's own.
/// </summary>
public static class ParquetResultsReader
{
    public static async Task<IReadOnlyList<TrialResult>> ReadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new KvGridException($"{path}: not found");
        await using var stream = File.OpenRead(path);
        ParquetReader reader;
        try { reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ParquetException)
        {
            throw new KvGridException($"{path}: not a readable Parquet file ({OneLine(e.Message)})");
        }
        await using (reader)
        {
            var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            foreach (var c in TrialColumns.All)
                if (!fields.ContainsKey(c.Name) && !TrialColumns.AddedLater.Contains(c.Name)) throw new KvGridException($"{path}: no column '{c.Name}'");

            var rows = new List<TrialResult>();
            long rowBase = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var columns = new Dictionary<string, Array>(StringComparer.Ordinal);
                foreach (var c in TrialColumns.All.Where(c => fields.ContainsKey(c.Name)))
                    columns[c.Name] = await ReadColumnAsync(group, fields[c.Name], c, checked((int)group.RowCount), ct);
                var cells = new ParquetCellReader(path, columns);
                for (int i = 0; i < group.RowCount; i++)
                {
                    cells.Row = i;
                    cells.RowNumber = rowBase + i + 1;
                    rows.Add(TrialCells.FromCells(cells));
                }
                rowBase += group.RowCount;
            }
            return rows;
        }
    }

    /// <summary>One column of a row group as an array of cells (null where the value is null).</summary>
    static async Task<Array> ReadColumnAsync(ParquetRowGroupReader group, DataField field, TrialColumn c, int n, CancellationToken ct)
    {
        switch (c.Kind)
        {
            case ColumnKind.Text or ColumnKind.Json:
            {
                var a = new string?[n];
                await group.ReadAsync(field, a.AsMemory(), null, ct);
                return a;
            }
            case ColumnKind.Int32: return await Values<int>(group, field, n, c.Nullable, ct);
            case ColumnKind.Int64: return await Values<long>(group, field, n, c.Nullable, ct);
            case ColumnKind.Double: return await Values<double>(group, field, n, c.Nullable, ct);
            case ColumnKind.Bool: return await Values<bool>(group, field, n, c.Nullable, ct);
            case ColumnKind.Timestamp: return await Values<DateTime>(group, field, n, c.Nullable, ct);
            default: throw new ArgumentOutOfRangeException(nameof(c), c.Kind, null);
        }
    }

    static async Task<Array> Values<T>(ParquetRowGroupReader group, DataField field, int n, bool nullable, CancellationToken ct) where T : struct
    {
        if (nullable || field.IsNullable)
        {
            var a = new T?[n];
            await group.ReadAsync<T>(field, a.AsMemory(), null, ct);
            return a;
        }
        var b = new T[n];
        await group.ReadAsync<T>(field, b.AsMemory(), null, ct);
        return b;
    }

    static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();

    /// <summary>The cells of one row of a row group's columns (arrays as Parquet.Net reads them).</summary>
    sealed class ParquetCellReader(string file, IReadOnlyDictionary<string, Array> columns) : ICellReader
    {
        public int Row;
        public long RowNumber;

        object? Cell(TrialColumn c) => columns.TryGetValue(c.Name, out var column) ? column.GetValue(Row) : null;

        public string? Text(TrialColumn c) => Cell(c) switch
        {
            null => null,
            string s => s,
            var v => throw BadCell(c, $"expected text, found {v.GetType().Name}"),
        };

        public int Int32(TrialColumn c) => Cell(c) is int v ? v : throw BadCell(c, "expected a 32-bit integer");
        public long Int64(TrialColumn c) => Cell(c) is long v ? v : throw BadCell(c, "expected a 64-bit integer");

        public double? Double(TrialColumn c) => Cell(c) switch
        {
            null => null,
            double d => d,
            var v => throw BadCell(c, $"expected a double, found {v.GetType().Name}"),
        };

        public bool? Bool(TrialColumn c) => Cell(c) switch
        {
            null => null,
            bool b => b,
            var v => throw BadCell(c, $"expected a boolean, found {v.GetType().Name}"),
        };

        public DateTimeOffset Timestamp(TrialColumn c) => Cell(c) switch
        {
            DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
            DateTimeOffset t => t,
            _ => throw BadCell(c, "expected a timestamp"),
        };

        public Exception BadCell(TrialColumn c, string reason) => new KvGridException($"{file}: row {RowNumber}: column {c.Name}: {reason}");
    }
}
