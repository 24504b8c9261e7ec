using KvGrid.Contracts;
using KvGrid.Results.Storage;
using Parquet;
using Parquet.Schema;

namespace KvGrid.Results;

/// <summary>
/// Trial rows as a Parquet file with typed columns named like the store's: strings, int32, int64, doubles
/// (optional where the field is), optional booleans, a UTC timestamp (microseconds) for completed_at, and the
/// lists and dictionaries as JSON strings. Rows are written in row groups of <see cref="RowGroupSize"/>.
/// </summary>
public static class ResultsParquet
{
    public const int RowGroupSize = 100_000;

    public static readonly ParquetSchema Schema = new(TrialColumns.All.Select(FieldOf));

    static DataField FieldOf(TrialColumn c) => c.Kind switch
    {
        ColumnKind.Text or ColumnKind.Json => new DataField<string>(c.Name, c.Nullable),
        ColumnKind.Int32 => new DataField<int>(c.Name, c.Nullable),
        ColumnKind.Int64 => new DataField<long>(c.Name, c.Nullable),
        ColumnKind.Double => c.Nullable ? new DataField<double?>(c.Name) : new DataField<double>(c.Name, false),
        ColumnKind.Bool => c.Nullable ? new DataField<bool?>(c.Name) : new DataField<bool>(c.Name, false),
        ColumnKind.Timestamp => new DateTimeDataField(c.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c.Kind, null),
    };

    public static async Task<long> WriteAsync(IAsyncEnumerable<TrialResult> rows, Stream output, CancellationToken ct = default)
    {
        await using var writer = await ParquetWriter.CreateAsync(Schema, output, cancellationToken: ct);
        var fields = Schema.GetDataFields();
        var buffer = new List<TrialResult>(RowGroupSize);
        long n = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            buffer.Add(row);
            if (buffer.Count == RowGroupSize) { await WriteGroupAsync(writer, fields, buffer, ct); buffer.Clear(); }
            n++;
        }
        // An empty export still gets one (empty) row group, so readers see the schema and zero rows.
        if (buffer.Count > 0 || n == 0) await WriteGroupAsync(writer, fields, buffer, ct);
        return n;
    }

    public static async Task<long> WriteAsync(IAsyncEnumerable<TrialResult> rows, string path, CancellationToken ct = default)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        return await WriteAsync(rows, stream, ct);
    }

    static async Task WriteGroupAsync(ParquetWriter writer, DataField[] fields, List<TrialResult> rows, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        for (int i = 0; i < fields.Length; i++)
        {
            var column = TrialColumns.All[i];
            var field = fields[i];
            switch (column.Kind)
            {
                case ColumnKind.Text or ColumnKind.Json:
                    await group.WriteAsync(field, rows.Select(r => (string?)column.Get(r)).ToArray()!);
                    break;
                case ColumnKind.Int32:
                    await group.WriteAsync<int>(field, rows.Select(r => (int)column.Get(r)!).ToArray(), cancellationToken: ct);
                    break;
                case ColumnKind.Int64:
                    await group.WriteAsync<long>(field, rows.Select(r => (long)column.Get(r)!).ToArray(), cancellationToken: ct);
                    break;
                case ColumnKind.Double when column.Nullable:
                    await group.WriteAsync<double>(field, rows.Select(r => (double?)column.Get(r)).ToArray(), cancellationToken: ct);
                    break;
                case ColumnKind.Double:
                    await group.WriteAsync<double>(field, rows.Select(r => (double)column.Get(r)!).ToArray(), cancellationToken: ct);
                    break;
                case ColumnKind.Bool:
                    await group.WriteAsync<bool>(field, rows.Select(r => (bool?)column.Get(r)).ToArray(), cancellationToken: ct);
                    break;
                case ColumnKind.Timestamp:
                    await group.WriteAsync<DateTime>(field, rows.Select(r => ((DateTimeOffset)column.Get(r)!).UtcDateTime).ToArray(), cancellationToken: ct);
                    break;
            }
        }
    }
}
