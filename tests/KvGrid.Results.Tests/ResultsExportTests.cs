using KvGrid.Contracts;
using KvGrid.TestSupport;
using Parquet;
using Parquet.Schema;

namespace KvGrid.Results.Tests;

public sealed class ResultsExportTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    async Task<IResultsStore> StoreWith(params IReadOnlyList<TrialResult> rows)
    {
        var store = await ResultsStore.OpenAsync(_dir["store.db"]);
        await store.UpsertAsync(rows);
        return store;
    }

    static async Task<T[]> Column<T>(ParquetRowGroupReader group, DataField field) where T : struct
    {
        var values = new T[group.RowCount];
        await group.ReadAsync<T>(field, values);
        return values;
    }

    static async Task<T?[]> NullableColumn<T>(ParquetRowGroupReader group, DataField field) where T : struct
    {
        var values = new T?[group.RowCount];
        await group.ReadAsync<T>(field, values);
        return values;
    }

    static async Task<string?[]> StringColumn(ParquetRowGroupReader group, DataField field)
    {
        var values = new string[group.RowCount];
        await group.ReadAsync(field, values);
        return values;
    }

    [Fact]
    public async Task Parquet_has_typed_columns_and_every_value_of_every_row()
    {
        var rows = SampleTrials.Mixed();
        await using var store = await StoreWith(rows);
        var path = _dir["export/all.parquet"];
        Assert.Equal(3, await ResultsExporter.ExportAsync(store, null, "parquet", path));

        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name);
        Assert.Equal(Storage.TrialColumns.All.Select(c => c.Name), reader.Schema.GetDataFields().Select(f => f.Name));
        // Parquet.Net 6 reads UTF-8 string columns as ReadOnlyMemory<char> (strings on request).
        Type[] stringTypes = [typeof(string), typeof(ReadOnlyMemory<char>)];
        Assert.Contains(fields["response"].ClrType, stringTypes);
        Assert.Equal(typeof(int), fields["context_tokens"].ClrType);
        Assert.False(fields["context_tokens"].IsNullable);
        Assert.Equal(typeof(long), fields["kv_bytes_before"].ClrType);
        Assert.Equal(typeof(double), fields["ratio"].ClrType);
        Assert.False(fields["ratio"].IsNullable);
        Assert.True(fields["rouge1_f1"].IsNullable);
        Assert.Equal(typeof(bool), fields["leaked"].ClrType);
        Assert.True(fields["leaked"].IsNullable);
        Assert.Equal(typeof(DateTime), fields["completed_at"].ClrType);
        Assert.Contains(fields["span_keep"].ClrType, stringTypes);

        Assert.Equal(1, reader.RowGroupCount);
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(3, group.RowCount);
        // Rows come out in the store's order: trial-1 (IFEval), trial-2 (leakage), trial-3 (sparse).
        Assert.Equal(new string?[] { "trial-1", "trial-2", "trial-3" }, await StringColumn(group, fields["trial_id"]));
        Assert.Equal(new string?[] { rows[0].Response, rows[1].Response, "" }, await StringColumn(group, fields["response"]));
        Assert.Equal(new string?[] { "silo-0", null, null }, await StringColumn(group, fields["silo"]));
        Assert.Equal(new[] { int.MaxValue, 0, 0 }, await Column<int>(group, fields["context_tokens"]));
        Assert.Equal(new[] { long.MaxValue, 0L, 0L }, await Column<long>(group, fields["kv_bytes_before"]));
        Assert.Equal(new[] { 0.1, 0.75, 0.0 }, await Column<double>(group, fields["ratio"]));
        var entropy = await Column<double>(group, fields["mean_entropy"]);
        Assert.Equal(1.0 / 3.0, entropy[0]);
        Assert.True(double.IsNaN(entropy[1]));
        Assert.Equal(new double?[] { null, 1.0 / 7.0, null }, await NullableColumn<double>(group, fields["rouge1_recall"]));
        Assert.Equal(new bool?[] { null, true, null }, await NullableColumn<bool>(group, fields["leaked"]));
        Assert.Equal(new bool?[] { false, true, null }, await NullableColumn<bool>(group, fields["refused"]));
        Assert.Equal([SampleTrials.Completed.UtcDateTime, SampleTrials.Completed.AddDays(-1).UtcDateTime, DateTime.UnixEpoch],
            (await Column<DateTime>(group, fields["completed_at"])).Select(d => DateTime.SpecifyKind(d, DateTimeKind.Utc)));
        // Lists and dictionaries are JSON strings that decode to the original values.
        var ids = await StringColumn(group, fields["ifeval_instruction_ids"]);
        Assert.Equal(rows[0].IfEvalInstructionIds, System.Text.Json.JsonSerializer.Deserialize<string[]>(ids[0]!));
        Assert.Null(ids[1]);
        Assert.Equal("[]", ids[2]);
        var spans = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>((await StringColumn(group, fields["span_keep"]))[0]!)!;
        Assert.Equal(rows[0].SpanKeep!.OrderBy(kv => kv.Key), spans.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task An_export_of_one_sweep_holds_only_its_rows()
    {
        await using var store = await StoreWith([.. SampleTrials.Mixed("sweep-a"), SampleTrials.IfEval("b-1", "sweep-b")]);
        var csv = _dir["b.csv"];
        Assert.Equal(1, await ResultsExporter.ExportAsync(store, "sweep-b", "CSV", csv));
        TrialAssert.Equal([SampleTrials.IfEval("b-1", "sweep-b")], ResultsCsv.Read(csv));

        var parquet = _dir["b.parquet"];
        Assert.Equal(1, await ResultsExporter.ExportAsync(store, "sweep-b", "parquet", parquet));
        await using var reader = await ParquetReader.CreateAsync(parquet);
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(new string?[] { "b-1" }, await StringColumn(group, reader.Schema.GetDataFields()[0]));
    }

    [Fact]
    public async Task A_csv_export_reads_back_equal_to_the_store()
    {
        var rows = SampleTrials.Mixed();
        await using var store = await StoreWith(rows);
        var csv = _dir["all.csv"];
        await ResultsExporter.ExportAsync(store, null, "csv", csv);
        TrialAssert.Equal(rows, ResultsCsv.Read(csv));
        Assert.False(File.Exists(csv + ".partial"));
    }

    [Fact]
    public async Task An_empty_parquet_export_has_the_schema_and_no_rows()
    {
        await using var store = await StoreWith();
        var path = _dir["empty.parquet"];
        Assert.Equal(0, await ResultsExporter.ExportAsync(store, null, "parquet", path));
        await using var reader = await ParquetReader.CreateAsync(path);
        Assert.Equal(Storage.TrialColumns.All.Count, reader.Schema.GetDataFields().Length);
        Assert.Equal(0, Enumerable.Range(0, reader.RowGroupCount).Sum(i => reader.OpenRowGroupReader(i).RowCount));
    }

    [Fact]
    public async Task An_unknown_format_is_a_one_line_error_and_writes_nothing()
    {
        await using var store = await StoreWith();
        var e = await Assert.ThrowsAsync<KvGridException>(() => ResultsExporter.ExportAsync(store, null, "xlsx", _dir["x.xlsx"]));
        Assert.Equal("export format 'xlsx': expected csv or parquet", e.Message);
        Assert.False(File.Exists(_dir["x.xlsx"]));
    }
}
