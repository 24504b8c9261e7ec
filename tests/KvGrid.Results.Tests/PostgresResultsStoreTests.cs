using KvGrid.LocalServices;
using KvGrid.TestSupport;
using Npgsql;

namespace KvGrid.Results.Tests;

[Collection("postgres")]
public sealed class PostgresResultsStoreTests(PostgresFixture postgres) : ResultsStoreContract
{
    protected override Task<string> NewDatabaseAsync() => postgres.NewDatabaseAsync();

    static async Task<List<string>> Strings(string connection, string sql)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<string>();
        while (await r.ReadAsync()) list.Add(Convert.ToString(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return list;
    }

    [SkippableFact]
    public async Task The_schema_lives_in_kvgrid_with_a_version_table_and_jsonb_lists()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using (var store = await ResultsStore.OpenAsync(connection)) await store.UpsertAsync(SampleTrials.Mixed());

        Assert.Equal(["schema_version", "sweeps", "trials"],
            await Strings(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'kvgrid' ORDER BY 1"));
        Assert.Equal(["1", "2"], await Strings(connection, "SELECT version FROM kvgrid.schema_version ORDER BY version"));
        Assert.Equal(Storage.TrialColumns.All.Select(c => c.Name),
            await Strings(connection, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'kvgrid' AND table_name = 'trials' ORDER BY ordinal_position"));
        Assert.Equal(["ifeval_instruction_ids", "ifeval_loose", "ifeval_strict", "span_keep"],
            await Strings(connection, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'kvgrid' AND table_name = 'trials' AND data_type = 'jsonb' ORDER BY 1"));
        // The lists are real JSON: the server can query into them.
        Assert.Equal(["0.25"], await Strings(connection, "SELECT span_keep ->> 'system' FROM kvgrid.trials WHERE trial_id = 'trial-1'"));
        Assert.Equal(["2"], await Strings(connection, "SELECT jsonb_array_length(ifeval_strict) FROM kvgrid.trials WHERE trial_id = 'trial-1'"));
        Assert.Equal(["2026-11-28 21:59:58.123456+00"], await Strings(connection,
            "SELECT to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' FROM kvgrid.trials WHERE trial_id = 'trial-1'"));
    }

    [SkippableFact]
    public async Task Silos_starting_together_migrate_once()
    {
        var connection = await postgres.NewDatabaseAsync();
        var stores = Enumerable.Range(0, 6).Select(_ => ResultsStore.Open(connection)).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.EnsureSchemaAsync())));
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
        }
        Assert.Equal(["1", "2"], await Strings(connection, "SELECT version FROM kvgrid.schema_version ORDER BY version"));
    }

    [SkippableFact]
    public async Task A_schema_newer_than_the_build_is_refused()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using (var store = await ResultsStore.OpenAsync(connection)) { }
        await Strings(connection, "INSERT INTO kvgrid.schema_version (version, description) VALUES (5, 'future') RETURNING version");
        await using var again = ResultsStore.Open(connection);
        var e = await Assert.ThrowsAsync<KvGridException>(() => again.EnsureSchemaAsync());
        Assert.EndsWith("schema version 5 is newer than this build's 2", e.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_one_line_error()
    {
        // A port with nothing listening on it (the probe is closed again at once).
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var store = ResultsStore.Open($"postgresql://kvgrid:secret@127.0.0.1:{port}/kvgrid?connect_timeout=5");
        var e = await Assert.ThrowsAsync<KvGridException>(() => store.CountAsync(null));
        Assert.StartsWith($"postgresql 127.0.0.1:{port}/kvgrid: cannot connect:", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("secret", e.Message);
    }

    [SkippableFact]
    public async Task A_missing_database_is_a_one_line_error()
    {
        ExternalTools.RequirePostgres();
        await using var store = ResultsStore.Open(postgres.Server!.ConnectionFor("no_such_db"));
        var e = await Assert.ThrowsAsync<KvGridException>(() => store.EnsureSchemaAsync());
        Assert.Contains("no_such_db", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [SkippableFact]
    public async Task A_nul_character_in_a_text_is_stored_as_the_replacement_character()
    {
        // PostgreSQL text cannot hold U+0000; rejecting it would fail the whole batch of a context.
        await using var store = await ResultsStore.OpenAsync(await postgres.NewDatabaseAsync());
        await store.UpsertAsync([SampleTrials.IfEval("t") with { Response = "a\0b" }]);
        Assert.Equal("a\uFFFDb", Assert.Single(await store.ReadAsync(null).ToListAsync()).Response);
    }
}
