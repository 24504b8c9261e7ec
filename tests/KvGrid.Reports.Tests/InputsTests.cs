using KvGrid.Contracts;
using KvGrid.Reports.Analysis;
using KvGrid.Reports.Input;
using KvGrid.Reports.Rendering;
using KvGrid.Results;

namespace KvGrid.Reports.Tests;

/// <summary>The same rows through SQLite, an exported CSV and an exported Parquet give identical tables; bad inputs give one-line errors.</summary>
public class InputsTests
{
    [Fact]
    public async Task Csv_sqlite_and_parquet_inputs_give_identical_tables()
    {
        var dir = Fixture.TempDir();
        var db = Path.Combine(dir, "r.db");
        await using (var store = await ResultsStore.OpenAsync("sqlite:" + db))
        {
            await store.UpsertAsync(Fixture.Rows());
            await ResultsExporter.ExportAsync(store, null, "csv", Path.Combine(dir, "r.csv"));
            await ResultsExporter.ExportAsync(store, null, "parquet", Path.Combine(dir, "r.parquet"));
        }
        var fromDb = await Tables("sqlite:" + db);
        var fromCsv = await Tables(Path.Combine(dir, "r.csv"));
        var fromParquet = await Tables(Path.Combine(dir, "r.parquet"));
        var direct = Render(Fixture.Rows());
        Assert.Equal(12, direct.Count);
        foreach (var (id, csv) in direct)
        {
            Assert.Equal(csv, fromDb[id]);
            Assert.Equal(csv, fromCsv[id]);
            Assert.Equal(csv, fromParquet[id]);
        }
        Assert.Contains("m,defense_first,knorm,none,0.5,4,3,0.75,0.25,", direct[ReportTables.Leakage]);
    }

    static async Task<Dictionary<string, string>> Tables(string results) => Render((await ReportInput.LoadAsync(results, Fixture.Sweep)).Rows);

    static Dictionary<string, string> Render(IReadOnlyList<TrialResult> rows) =>
        ReportTables.All(ReportBuilder.Build(rows, "x", new ReportOptions(200, 7))).ToDictionary(kv => kv.Key, kv => CsvTableWriter.ToCsv(kv.Value));

    [Fact]
    public async Task An_empty_export_is_a_one_line_error()
    {
        var dir = Fixture.TempDir();
        var csv = Path.Combine(dir, "empty.csv");
        await ResultsCsv.WriteAsync(AsyncEnumerable.Empty<TrialResult>(), csv);
        var e = await Assert.ThrowsAsync<KvGridException>(() => ReportInput.LoadAsync(csv, null));
        Assert.Equal($"{csv}: no trials to report on", e.Message);
    }

    [Fact]
    public async Task An_unknown_sweep_names_the_present_ones()
    {
        var dir = Fixture.TempDir();
        var csv = Path.Combine(dir, "r.csv");
        await ResultsCsv.WriteAsync(Fixture.Rows().ToAsyncEnumerable(), csv);
        var e = await Assert.ThrowsAsync<KvGridException>(() => ReportInput.LoadAsync(csv, "other"));
        Assert.Equal($"{csv}: no trials of sweep 'other' (present: sw1)", e.Message);
    }

    [Fact]
    public void Rows_of_several_sweeps_need_a_choice()
    {
        var rows = Fixture.Rows();
        rows[0] = rows[0] with { SweepId = "sw0" };
        var e = Assert.Throws<KvGridException>(() => ReportInput.SelectSweep(rows, null, "f.csv"));
        Assert.Equal("f.csv: holds 2 sweeps (sw0, sw1): choose one with --sweep", e.Message);
        Assert.Single(ReportInput.SelectSweep(rows, "sw0", "f.csv"));
    }

    [Fact]
    public async Task A_broken_parquet_file_is_a_one_line_error()
    {
        var path = Path.Combine(Fixture.TempDir(), "bad.parquet");
        await File.WriteAllTextAsync(path, "not parquet at all");
        var e = await Assert.ThrowsAsync<KvGridException>(() => ReportInput.LoadAsync(path, null));
        Assert.StartsWith($"{path}: not a readable Parquet file", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task A_missing_store_file_is_an_error()
    {
        var db = Path.Combine(Fixture.TempDir(), "none.db");
        await Assert.ThrowsAsync<KvGridException>(() => ReportInput.LoadAsync(db, null));
    }
}
