using System.Diagnostics;
using KvGrid.Telemetry;
using KvGrid.Results;
using Microsoft.Extensions.Logging;

namespace KvGrid.Grid.Shards;

/// <summary>
/// The shard's work loop, off the grain scheduler (model compute takes seconds to minutes): find active sweeps,
/// lease a context for this model, run it with heartbeats, store results per ratio, report completion or failure.
/// </summary>
internal sealed class ShardWorker(
    string shardId, ShardConfig config, IGrainFactory grains, IResultsStore store, IContextExecutorFactory executors, ILogger<ShardWorker> logger)
{
    readonly CancellationTokenSource _stop = new();
    Task? _loop;
    IContextExecutor? _executor;
    double _loadSeconds;
    int _contextsDone, _trialsDone;
    volatile string? _current;
    string? _lastError;

    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    public bool Running => _loop is { IsCompleted: false };

    public void Start()
    {
        _loop = Task.Run(() => RunAsync(_stop.Token));
        PublishSnapshot();
    }

    public async Task StopAsync()
    {
        if (_loop is null) return;
        _stop.Cancel();
        try { await _loop; } catch (OperationCanceledException) { }
        _executor?.Dispose();
        _executor = null;
        PublishSnapshot();
    }

    public ShardStatus Status(string id) => new(id, Running, _executor is not null, _loadSeconds, _contextsDone, _trialsDone, _current, _lastError);

    async Task RunAsync(CancellationToken ct)
    {
        var registry = grains.GetGrain<ISweepRegistryGrain>(0);
        if (!string.IsNullOrEmpty(config.Model.Path)) await TryWarmLoadAsync();
        while (!ct.IsCancellationRequested)
        {
            bool worked = false;
            try
            {
                foreach (var sweepId in await registry.ActiveSweepIds())
                {
                    var coordinator = grains.GetGrain<ISweepCoordinatorGrain>(sweepId);
                    var leases = await coordinator.Lease(shardId, config.Model.Name, 1);
                    if (leases.Count == 0) continue;
                    await RunLeaseAsync(coordinator, leases[0], ct);
                    worked = true;
                    break;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                // Coordinator unreachable (its silo died, it is re-activating): try again shortly.
                _lastError = e.Message;
                logger.LogWarning("shard {Shard}: {Error}", shardId, e.Message);
            }
            if (!worked)
            {
                try { await Task.Delay(PollInterval, ct); } catch (OperationCanceledException) { break; }
            }
        }
    }

    /// <summary>Loads the configured model before the first lease, so the first context does not pay for it.</summary>
    async Task TryWarmLoadAsync()
    {
        try { await Task.Run(() => EnsureExecutor(config.Model)); }
        catch (Exception e)
        {
            // The first lease will try again and report the error against its context.
            _lastError = OneLine(e);
            logger.LogWarning("shard {Shard}: loading {Model} failed: {Error}", shardId, config.Model.Name, _lastError);
        }
    }

    IContextExecutor EnsureExecutor(ModelRef model)
    {
        if (_executor is not null) return _executor;
        var watch = Stopwatch.StartNew();
        _executor = executors.Create(model, config.Device);
        _loadSeconds = watch.Elapsed.TotalSeconds;
        GridMetrics.ShardModelLoadSeconds.Record(_loadSeconds, new KeyValuePair<string, object?>("model", config.Model.Name));
        PublishSnapshot();
        return _executor;
    }

    async Task RunLeaseAsync(ISweepCoordinatorGrain coordinator, WorkLease lease, CancellationToken stopping)
    {
        var work = lease.Work;
        _current = work.ContextId;
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var heartbeat = HeartbeatAsync(coordinator, work.ContextId, lease.ExpiresAt - DateTimeOffset.UtcNow, run);
        try
        {
            var executor = EnsureExecutor(config.Model with { Path = string.IsNullOrEmpty(config.Model.Path) ? work.Model.Path : config.Model.Path, DType = work.Model.DType });
            var skip = await store.CompletedTrialIdsAsync(work.SweepId, run.Token);
            var executeTimer = ContextPhases.Time("execute", work.Model.Name);
            var outcome = await Task.Run(() => executor.Execute(work, skip, rows =>
            {
                // Each ratio's rows go to the store as soon as they exist: a crash loses at most one ratio.
                using (ContextPhases.Time("store", work.Model.Name))
                    store.UpsertAsync(rows, CancellationToken.None).GetAwaiter().GetResult();
                GridMetrics.RecordTrials(rows);
                // Live progress per ratio; the rows are stored already, so a lost report only delays the numbers.
                try { coordinator.Progress(shardId, work.ContextId, rows.Select(r => r with { Response = null }).ToList()).GetAwaiter().GetResult(); }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning("shard {Shard}: progress report failed: {Error}", shardId, e.Message); }
            }, run.Token), run.Token);
            executeTimer.Dispose();
            RecordContext(work, outcome);
            await coordinator.Complete(shardId, work.ContextId, [], outcome.Prefills);
            _contextsDone++;
            _trialsDone += outcome.Results.Count;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await TryAsync(() => coordinator.Release(shardId, [work.ContextId]));
            throw;
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("shard {Shard}: lost the lease of context {Context}; stopped working on it", shardId, work.ContextId);
        }
        catch (Exception e)
        {
            _lastError = OneLine(e);
            logger.LogWarning("shard {Shard}: context {Context} failed: {Error}", shardId, work.ContextId, _lastError);
            await TryAsync(() => coordinator.Fail(shardId, work.ContextId, _lastError));
        }
        finally
        {
            run.Cancel();
            try { await heartbeat; } catch (OperationCanceledException) { }
            _current = null;
        }
    }

    /// <summary>Shard throughput gauges (the per-context counters are recorded by the executor as it runs).</summary>
    void RecordContext(ContextWork work, ContextOutcome outcome)
    {
        var first = outcome.Results.FirstOrDefault(r => r.Status == "ok");
        if (first is null) return;
        double decodeSeconds = outcome.Results.Sum(r => r.DecodeMs) / 1000.0;
        _prefillThroughput = first.PrefillMs > 0 ? first.ContextTokens / (first.PrefillMs / 1000.0) : 0;
        _decodeThroughput = decodeSeconds > 0 ? outcome.Results.Sum(r => r.GeneratedTokens) / decodeSeconds : 0;
        PublishSnapshot();
    }

    double _prefillThroughput, _decodeThroughput;

    public void PublishSnapshot() =>
        GridMetrics.PublishShard(shardId, new GridMetrics.ShardSnapshot(config.Model.Name, Running, _prefillThroughput, _decodeThroughput, _executor?.ModelBytes ?? 0));

    async Task HeartbeatAsync(ISweepCoordinatorGrain coordinator, string contextId, TimeSpan leaseLeft, CancellationTokenSource run)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, leaseLeft.Ticks / 3));
        while (!run.IsCancellationRequested)
        {
            await Task.Delay(period, run.Token);
            try
            {
                var lost = await coordinator.Heartbeat(shardId, [contextId]);
                if (lost.Count > 0) { run.Cancel(); return; }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("shard {Shard}: heartbeat failed: {Error}", shardId, e.Message);
            }
        }
    }

    static async Task TryAsync(Func<Task> action)
    {
        try { await action(); } catch (Exception) { /* the lease will expire instead */ }
    }

    static string OneLine(Exception e) => (e is KvGridException ? e.Message : $"{e.GetType().Name}: {e.Message}").ReplaceLineEndings(" ");
}
