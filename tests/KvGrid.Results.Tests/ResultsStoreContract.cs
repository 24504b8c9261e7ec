using KvGrid.Contracts;

namespace KvGrid.Results.Tests;

/// <summary>
/// The behaviour every results store must have, run against SQLite and a real PostgreSQL server by the derived
/// classes. Each test starts from a new, empty database.
/// </summary>
public abstract class ResultsStoreContract
{
    /// <summary>A connection text (for <see cref="ResultsStore.Open"/>) of a new, empty database.</summary>
    protected abstract Task<string> NewDatabaseAsync();

    async Task<(IResultsStore Store, string Connection)> NewStoreAsync()
    {
        var connection = await NewDatabaseAsync();
        return (await ResultsStore.OpenAsync(connection), connection);
    }

    static async Task<List<TrialResult>> ReadAll(IResultsStore store, string? sweepId = null)
    {
        var rows = new List<TrialResult>();
        await foreach (var r in store.ReadAsync(sweepId)) rows.Add(r);
        return rows;
    }

    [SkippableFact]
    public async Task Every_field_reads_back_as_written()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        var rows = SampleTrials.Mixed();
        await store.UpsertAsync(rows);
        TrialAssert.Equal(rows, await ReadAll(store));
    }

    [SkippableFact]
    public async Task The_same_rows_twice_store_one_row_each()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        var rows = SampleTrials.Mixed();
        await store.UpsertAsync(rows);
        await store.UpsertAsync(rows);
        Assert.Equal(new ResultCounts(Ok: 2, Failed: 1, Contexts: 3), await store.CountAsync("sweep-a"));
        TrialAssert.Equal(rows, await ReadAll(store));
    }

    [SkippableFact]
    public async Task An_ok_row_replaces_a_failed_one()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        var failed = SampleTrials.IfEval("t", status: "failed");
        var ok = SampleTrials.IfEval("t") with { Silo = "silo-1" };
        await store.UpsertAsync([failed]);
        await store.UpsertAsync([ok]);
        var stored = Assert.Single(await ReadAll(store));
        TrialAssert.Equal(ok, stored);
        Assert.Null(stored.Error);
    }

    [SkippableFact]
    public async Task A_failed_row_never_replaces_an_ok_one()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        var ok = SampleTrials.IfEval("t");
        await store.UpsertAsync([ok]);
        await store.UpsertAsync([SampleTrials.IfEval("t", status: "failed")]);
        TrialAssert.Equal(ok, Assert.Single(await ReadAll(store)));
    }

    [SkippableFact]
    public async Task The_first_ok_row_is_kept()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        var first = SampleTrials.IfEval("t");
        await store.UpsertAsync([first]);
        await store.UpsertAsync([first with { Response = "a later execution", Silo = "silo-9" }]);
        TrialAssert.Equal(first, Assert.Single(await ReadAll(store)));
    }

    [SkippableFact]
    public async Task A_failed_row_replaces_a_failed_one_keeping_the_latest_error()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        await store.UpsertAsync([SampleTrials.IfEval("t", status: "failed")]);
        var latest = SampleTrials.IfEval("t", status: "failed") with { Error = "lease expired" };
        await store.UpsertAsync([latest]);
        TrialAssert.Equal(latest, Assert.Single(await ReadAll(store)));
    }

    [SkippableFact]
    public async Task Duplicates_inside_one_batch_follow_the_same_rule()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        var okA = SampleTrials.IfEval("a");
        var okB1 = SampleTrials.IfEval("b");
        // a: failed then ok -> ok; b: ok then another ok -> the first; c: ok then failed -> ok.
        await store.UpsertAsync([
            SampleTrials.IfEval("a", status: "failed"), okA,
            okB1, okB1 with { Response = "second" },
            SampleTrials.IfEval("c"), SampleTrials.IfEval("c", status: "failed"),
        ]);
        var rows = await ReadAll(store);
        TrialAssert.Equal([okA, okB1, SampleTrials.IfEval("c")], rows);
    }

    [SkippableFact]
    public async Task The_ledger_holds_the_ok_trials_of_one_sweep()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        await store.UpsertAsync([
            SampleTrials.IfEval("a1", "sweep-a"), SampleTrials.IfEval("a2", "sweep-a", status: "failed"), SampleTrials.Leakage("a3", "sweep-a"),
            SampleTrials.IfEval("b1", "sweep-b"),
        ]);
        Assert.Equal(["a1", "a3"], (await store.CompletedTrialIdsAsync("sweep-a")).Order(StringComparer.Ordinal));
        Assert.Equal(["b1"], await store.CompletedTrialIdsAsync("sweep-b"));
        Assert.Empty(await store.CompletedTrialIdsAsync("sweep-unknown"));

        await store.UpsertAsync([SampleTrials.IfEval("a2", "sweep-a")]); // the retry succeeded
        Assert.Equal(["a1", "a2", "a3"], (await store.CompletedTrialIdsAsync("sweep-a")).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Reading_filters_by_sweep_and_orders_by_sweep_context_and_trial_ordinally()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        // Ordinal order puts upper case before lower case ("B" < "a"), unlike a linguistic collation.
        await store.UpsertAsync([
            SampleTrials.IfEval("t-b", "s2", "ctx"), SampleTrials.IfEval("t-a", "s2", "ctx"),
            SampleTrials.IfEval("z", "s1", "c-lower"), SampleTrials.IfEval("y", "s1", "C-upper"), SampleTrials.IfEval("x", "s1", "c-lower"),
        ]);
        Assert.Equal(["y", "x", "z", "t-a", "t-b"], (await ReadAll(store)).Select(r => r.TrialId));
        Assert.Equal(["t-a", "t-b"], (await ReadAll(store, "s2")).Select(r => r.TrialId));
        Assert.Empty(await ReadAll(store, "s3"));
    }

    [SkippableFact]
    public async Task Counts_split_by_status_and_count_contexts_per_sweep()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        Assert.Equal(new ResultCounts(0, 0, 0), await store.CountAsync(null));
        await store.UpsertAsync([
            SampleTrials.IfEval("1", "s1", "c1"), SampleTrials.IfEval("2", "s1", "c1", "failed"), SampleTrials.IfEval("3", "s1", "c2"),
            SampleTrials.IfEval("4", "s2", "c1"), // the same context id in another sweep is another context
        ]);
        Assert.Equal(new ResultCounts(Ok: 2, Failed: 1, Contexts: 2), await store.CountAsync("s1"));
        Assert.Equal(new ResultCounts(Ok: 1, Failed: 0, Contexts: 1), await store.CountAsync("s2"));
        Assert.Equal(new ResultCounts(Ok: 3, Failed: 1, Contexts: 3), await store.CountAsync(null));
        Assert.Equal(4, (await store.CountAsync(null)).Total);
    }

    [SkippableFact]
    public async Task Sweeps_are_upserted_and_listed_oldest_first()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        var t0 = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
        var later = new SweepInfo("sw-later", "second", SweepState.Running, t0.AddHours(1));
        var first = new SweepInfo("sw-first", "first", SweepState.Running, t0.ToOffset(TimeSpan.FromHours(-5)));
        await store.RecordSweepAsync(later, "name: second\n");
        await store.RecordSweepAsync(first, "name: first\n");
        await store.RecordSweepAsync(first with { State = SweepState.Completed }, "name: first\nmodels: [a]\n");

        var sweeps = await store.ListSweepsAsync();
        Assert.Equal(["sw-first", "sw-later"], sweeps.Select(s => s.Info.SweepId));
        Assert.Equal(first with { State = SweepState.Completed }, sweeps[0].Info); // DateTimeOffset equality: the same instant
        Assert.Equal("name: first\nmodels: [a]\n", sweeps[0].SpecYaml);
        Assert.Equal(later, sweeps[1].Info);
    }

    [SkippableFact]
    public async Task Concurrent_writers_never_duplicate_and_ok_wins()
    {
        var (store, connection) = await NewStoreAsync();
        await using var _s = store;
        await using var other = ResultsStore.Open(connection); // a second instance: its own pool (and lock)
        const int writers = 8, own = 25, shared = 25;
        // Each writer stores its own trials and the same shared ones: even writers "ok", odd writers "failed".
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var target = w % 3 == 0 ? other : store;
            for (int batch = 0; batch < 5; batch++)
            {
                var rows = new List<TrialResult>();
                for (int i = batch * 5; i < batch * 5 + 5; i++)
                {
                    rows.Add(SampleTrials.IfEval($"own-{w}-{i}"));
                    rows.Add(SampleTrials.IfEval($"shared-{i}", status: w % 2 == 0 ? "ok" : "failed"));
                }
                await target.UpsertAsync(rows);
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        Assert.Equal(new ResultCounts(Ok: writers * own + shared, Failed: 0, Contexts: 1), await store.CountAsync("sweep-a"));
        Assert.Equal(writers * own + shared, (await store.CompletedTrialIdsAsync("sweep-a")).Count);
    }

    [SkippableFact]
    public async Task The_schema_is_created_once_and_reopening_keeps_the_rows()
    {
        var (store, connection) = await NewStoreAsync();
        var rows = SampleTrials.Mixed();
        await using (store)
        {
            await store.EnsureSchemaAsync();
            await store.UpsertAsync(rows);
            await store.EnsureSchemaAsync();
        }
        await using var reopened = await ResultsStore.OpenAsync(connection, mustExist: true);
        await reopened.EnsureSchemaAsync();
        TrialAssert.Equal(rows, await ReadAll(reopened));
    }

    [SkippableFact]
    public async Task A_large_batch_is_written_whole()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        var rows = Enumerable.Range(0, 1234)
            .Select(i => SampleTrials.IfEval($"t{i:D5}", contextId: $"ctx-{i / 100:D2}", status: i % 10 == 0 ? "failed" : "ok"))
            .ToList();
        await store.UpsertAsync(rows);
        Assert.Equal(new ResultCounts(Ok: 1234 - 124, Failed: 124, Contexts: 13), await store.CountAsync("sweep-a"));
        TrialAssert.Equal(rows, await ReadAll(store));
    }

    [SkippableFact]
    public async Task Invalid_rows_are_rejected_before_anything_is_written()
    {
        var (store, _) = await NewStoreAsync();
        await using var _s = store;
        await store.UpsertAsync([]);
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.UpsertAsync([SampleTrials.IfEval("good"), SampleTrials.IfEval("bad") with { Status = "done" }]));
        Assert.Contains("status", e.Message);
        Assert.Equal(new ResultCounts(0, 0, 0), await store.CountAsync(null));
    }
}
