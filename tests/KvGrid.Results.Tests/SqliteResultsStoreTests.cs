using KvGrid.TestSupport;
using Microsoft.Data.Sqlite;

namespace KvGrid.Results.Tests;

public sealed class SqliteResultsStoreTests : ResultsStoreContract, IDisposable
{
    readonly TempDir _dir = new();

    // A nested folder that does not exist yet: the store creates it.
    protected override Task<string> NewDatabaseAsync() => Task.FromResult($"sqlite:{_dir[$"results/{Guid.NewGuid():N}/kvgrid.db"]}");

    public void Dispose() => _dir.Dispose();

    static SqliteConnection Raw(string path)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        c.Open();
        return c;
    }

    static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    [Fact]
    public async Task The_file_uses_a_write_ahead_log_and_records_its_schema_version()
    {
        var path = _dir["a/b/results.db"];
        await using (var store = await ResultsStore.OpenAsync(path)) await store.UpsertAsync(SampleTrials.Mixed());
        using var c = Raw(path);
        Assert.Equal("wal", Scalar(c, "PRAGMA journal_mode"));
        Assert.Equal(2L, Scalar(c, "PRAGMA user_version"));
        Assert.Equal(3L, Scalar(c, "SELECT count(*) FROM trials"));
    }

    [Fact]
    public async Task The_trials_table_has_one_column_per_trial_field()
    {
        var path = _dir["columns.db"];
        await using (var store = await ResultsStore.OpenAsync(path)) { }
        using var c = Raw(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM pragma_table_info('trials') ORDER BY cid";
        var names = new List<string>();
        using (var r = cmd.ExecuteReader()) while (r.Read()) names.Add(r.GetString(0));
        Assert.Equal(typeof(KvGrid.Contracts.TrialResult).GetProperties().Length, names.Count);
        Assert.Equal(Storage.TrialColumns.All.Select(col => col.Name), names);
    }

    [Fact]
    public async Task NaN_is_kept_apart_from_null()
    {
        // SQLite stores a NaN REAL as NULL; the store writes the text 'NaN' instead.
        var path = _dir["nan.db"];
        await using (var store = await ResultsStore.OpenAsync(path))
            await store.UpsertAsync([SampleTrials.Leakage("n") with { Rouge1F1 = double.NaN, Rouge1Recall = null, DecodeMs = double.PositiveInfinity }]);
        using var c = Raw(path);
        Assert.Equal("NaN", Scalar(c, "SELECT mean_entropy FROM trials"));
        Assert.Equal("NaN", Scalar(c, "SELECT rouge1_f1 FROM trials"));
        Assert.Equal(DBNull.Value, Scalar(c, "SELECT rouge1_recall FROM trials"));
        await using var reopened = ResultsStore.Open(path);
        var row = Assert.Single(await reopened.ReadAsync(null).ToListAsync());
        Assert.True(double.IsNaN(row.MeanEntropy));
        Assert.True(double.IsNaN(row.Rouge1F1!.Value));
        Assert.Null(row.Rouge1Recall);
        Assert.Equal(double.PositiveInfinity, row.DecodeMs);
    }

    [Fact]
    public async Task Instants_are_stored_as_sortable_utc_text()
    {
        var path = _dir["time.db"];
        await using (var store = await ResultsStore.OpenAsync(path)) await store.UpsertAsync([SampleTrials.IfEval("t")]);
        using var c = Raw(path);
        // 2026-11-28 23:59:58.123456 at +02:00 is 21:59:58.123456 UTC.
        Assert.Equal("2026-11-28T21:59:58.1234560Z", Scalar(c, "SELECT completed_at FROM trials"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_a_one_line_error()
    {
        var path = _dir["notes.db"];
        await File.WriteAllTextAsync(path, new string('x', 4096));
        await using var store = ResultsStore.Open(path);
        var e = await Assert.ThrowsAsync<KvGridException>(() => store.CountAsync(null));
        Assert.Equal($"{Path.GetFullPath(path)}: not an SQLite database", e.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_for_readers()
    {
        var e = Assert.Throws<KvGridException>(() => ResultsStore.Open(_dir["nothing/here.db"], mustExist: true));
        Assert.Equal($"{_dir["nothing/here.db"]}: results store not found", e.Message);
        Assert.False(Directory.Exists(_dir["nothing"]));
    }

    [Fact]
    public async Task A_schema_newer_than_the_build_is_refused()
    {
        var path = _dir["future.db"];
        using (var c = Raw(path)) Scalar(c, "PRAGMA user_version = 7");
        await using var store = ResultsStore.Open(path);
        var e = await Assert.ThrowsAsync<KvGridException>(() => store.EnsureSchemaAsync());
        Assert.Equal($"{Path.GetFullPath(path)}: schema version 7 is newer than this build's 2", e.Message);
    }

    [Fact]
    public async Task A_nul_character_in_a_text_is_kept()
    {
        await using var store = await ResultsStore.OpenAsync(_dir["nul.db"]);
        await store.UpsertAsync([SampleTrials.IfEval("t") with { Response = "a\0b" }]);
        Assert.Equal("a\0b", Assert.Single(await store.ReadAsync(null).ToListAsync()).Response);
    }
}
