using KvGrid.Contracts;
using System.Diagnostics;
using System.Threading.Channels;
using KvGrid.Telemetry;
using KvGrid.Results;
using KvGrid.Sweeps;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace KvGrid.Grid.Shards;

/// <summary>
/// A model shard's work loop: find active sweeps, lease a context for this model, run it with heartbeats, store
/// results per ratio, report completion or failure. It runs off the grain scheduler (model compute takes seconds to
/// minutes) and is owned by the silo (<see cref="ShardSupervisor"/>), not by a grain activation: Orleans deactivates
/// an activation whose directory partition was on a silo that died, and a shard must outlive other silos.
/// </summary>
internal sealed class ShardWorker(
    string shardId, ShardConfig config, IGrainFactory grains, IResultsStore store, IContextExecutorFactory executors, PathRoots? roots,
    ILogger<ShardWorker> logger)
{
    readonly CancellationTokenSource _stop = new();
    Task? _loop;
    IContextExecutor? _executor;
    (string Path, string DType, string Device) _executorKey;
    double _loadSeconds;
    int _contextsDone, _trialsDone;
    volatile string? _current;
    string? _lastError;

    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait for one live-progress report: progress is advisory, it never holds up the work.</summary>
    static readonly TimeSpan ProgressTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Completion reports are retried: the coordinator may be re-activating on another silo.</summary>
    static readonly ResiliencePipeline ReportRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            MaxRetryAttempts = 4, Delay = TimeSpan.FromMilliseconds(500), BackoffType = DelayBackoffType.Exponential,
        })
        .Build();

    public string ShardId => shardId;
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

    public ShardStatus Status() => new(shardId, Running, _executor is not null, _loadSeconds, _contextsDone, _trialsDone, _current, _lastError);

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
                // Coordinator or registry unreachable (its silo died, it is re-activating): try again shortly.
                _lastError = e.Message;
                logger.LogWarning("shard {Shard}: {Error}", shardId, OneLine(e));
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

    /// <summary>
    /// The executor for (folder, dtype, device); a context asking for another than the loaded one replaces it, so a
    /// sweep's dtype is honoured even after a warm load in the silo's default. An "auto" dtype means the silo's
    /// configured one, else the device's default.
    /// </summary>
    IContextExecutor EnsureExecutor(ModelRef model)
    {
        var key = ExecutorKey(model);
        if (_executor is not null && key == _executorKey) return _executor;
        _executor?.Dispose();
        _executor = null;
        var watch = Stopwatch.StartNew();
        _executor = executors.Create(model with { DType = key.DType }, config.Device);
        _executorKey = key;
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
        // The executor hands over each ratio's rows and goes on; storing and reporting happen here, asynchronously, so
        // no compute thread ever blocks on the network.
        var finished = Channel.CreateUnbounded<IReadOnlyList<TrialResult>>(new UnboundedChannelOptions { SingleReader = true });
        var storing = StoreAndReportAsync(coordinator, work, finished.Reader);
        ContextOutcome outcome;
        try
        {
            try
            {
                var executor = EnsureExecutor(config.Model with { Path = ModelPathFor(config, work, roots), DType = work.Model.DType });
                var skip = await store.CompletedTrialIdsAsync(work.SweepId, run.Token);
                using (ContextPhases.Time("execute", work.Model.Name))
                    outcome = await Task.Run(() => executor.Execute(work, skip, rows => finished.Writer.TryWrite(rows), run.Token), run.Token);
            }
            finally
            {
                finished.Writer.TryComplete();
                // Rows of the ratios that finished are stored even when a later ratio failed or the lease was lost.
                await storing;
            }
            RecordContext(outcome);
            _contextsDone++;
            _trialsDone += outcome.Results.Count;
            // The rows are stored: if the coordinator cannot be told now, a re-activated one finds them in the ledger.
            try { await ReportRetry.ExecuteAsync(async _ => await coordinator.Complete(shardId, work.ContextId, [], outcome.Prefills), stopping); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("shard {Shard}: completion of context {Context} not reported (its rows are stored): {Error}", shardId, work.ContextId, OneLine(e));
            }
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

    (string Path, string DType, string Device) ExecutorKey(ModelRef model)
    {
        static bool Auto(string? dtype) => string.IsNullOrEmpty(dtype) || dtype == "auto";
        var dtype = !Auto(model.DType) ? model.DType : !Auto(config.Model.DType) ? config.Model.DType : "";
        return (model.Path, dtype, config.Device);
    }

    /// <summary>
    /// The folder to load: the one configured on this silo, else the spec's, which on a cluster silo must lie inside
    /// its model roots (a spec comes from a client and must not make a silo read arbitrary files).
    /// </summary>
    internal static string ModelPathFor(ShardConfig config, ContextWork work, PathRoots? roots)
    {
        if (!string.IsNullOrEmpty(config.Model.Path)) return config.Model.Path;
        if (roots is not null && !PathRoots.IsInside(work.Model.Path, roots.Models))
            throw new KvGridException($"model '{work.Model.Name}': folder '{work.Model.Path}' is outside this silo's model roots "
                + $"({(roots.Models.Count == 0 ? "none configured" : string.Join(", ", roots.Models))}; configure KvGrid__ModelRoots or the model's path on the silo)");
        return work.Model.Path;
    }

    /// <summary>
    /// Stores each ratio's rows as they arrive (a crash loses at most the ratios not yet written), then reports them to
    /// the coordinator as live progress. A store error fails the context; a lost progress report only delays numbers.
    /// </summary>
    async Task StoreAndReportAsync(ISweepCoordinatorGrain coordinator, ContextWork work, ChannelReader<IReadOnlyList<TrialResult>> finished)
    {
        await foreach (var rows in finished.ReadAllAsync())
        {
            using (ContextPhases.Time("store", work.Model.Name))
                await store.UpsertAsync(rows, CancellationToken.None);
            GridMetrics.RecordTrials(rows);
            try { await coordinator.Progress(shardId, work.ContextId, rows.Select(r => r with { Response = null }).ToList()).WaitAsync(ProgressTimeout); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("shard {Shard}: progress report failed: {Error}", shardId, OneLine(e));
            }
        }
    }

    /// <summary>Shard throughput gauges (the per-context counters are recorded by the executor as it runs).</summary>
    void RecordContext(ContextOutcome outcome)
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
            catch (Exception e) when (!run.IsCancellationRequested)
            {
                logger.LogWarning("shard {Shard}: heartbeat failed: {Error}", shardId, OneLine(e));
            }
        }
    }

    static async Task TryAsync(Func<Task> action)
    {
        try { await action(); } catch (Exception) { /* the lease will expire instead */ }
    }

    static string OneLine(Exception e) => (e is KvGridException ? e.Message : $"{e.GetType().Name}: {e.Message}").ReplaceLineEndings(" ");
}
