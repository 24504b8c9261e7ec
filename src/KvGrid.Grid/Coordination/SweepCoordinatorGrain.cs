using KvGrid.Contracts;
using System.Diagnostics;
using KvGrid.Telemetry;
using KvGrid.Results;
using KvGrid.Sweeps;
using Microsoft.Extensions.Logging;

namespace KvGrid.Grid.Coordination;

[GenerateSerializer]
public sealed class CoordinatorState
{
    [Id(0)] public string? SpecYaml { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string BaseDir { get; set; } = "";
    [Id(3)] public SweepState State { get; set; }
    [Id(4)] public Dictionary<string, int> Attempts { get; set; } = new();
    [Id(5)] public Dictionary<string, string> Failed { get; set; } = new();
    [Id(6)] public long Prefills { get; set; }
    [Id(7)] public DateTimeOffset SubmittedAt { get; set; }
    [Id(8)] public int Activations { get; set; }
    [Id(9)] public long TrialsComputed { get; set; }
    [Id(10)] public int LeasesExpired { get; set; }
    [Id(11)] public long DuplicateResults { get; set; }
    /// <summary>The spec's file name (errors name it); states written before it existed parse under <see cref="Name"/>.</summary>
    [Id(12)] public string? Source { get; set; }
}

/// <summary>Coordinator tunables (a silo-wide option).</summary>
public sealed class CoordinatorOptions
{
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxAttempts { get; set; } = 3;
}

/// <summary>
/// One per sweep. Its persisted state is small (spec, attempts, errors); the work list is re-derived from the
/// spec by deterministic expansion and the results store is the ledger of what is done, so a coordinator that
/// is re-activated elsewhere after its silo died resumes exactly where the stored results say.
/// </summary>
public sealed class SweepCoordinatorGrain(
    [PersistentState("sweep", GridStorage.Name)] IPersistentState<CoordinatorState> state,
    IResultsStore store,
    Microsoft.Extensions.Options.IOptions<CoordinatorOptions> options,
    Orleans.Runtime.ILocalSiloDetails silo,
    Hosting.GridSiloOptions siloOptions,
    ILogger<SweepCoordinatorGrain> logger) : Grain, ISweepCoordinatorGrain
{
    WorkQueue? _queue;
    readonly Aggregator _aggregator = new();
    readonly Queue<string> _recentErrors = new();
    Dictionary<string, (int Done, int Total)> _byPress = new();
    Dictionary<double, (int Done, int Total)> _byRatio = new();
    int _trialsDone, _trialsFailed, _trialsSkipped, _trialsTotal;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    int _trialsSinceActivation;
    long _trialsComputed, _prefills;
    IGrainTimer? _timer;

    string SweepId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.SpecYaml is null) return;
        state.State.Activations++;
        await state.WriteStateAsync(cancellationToken);
        await LoadAsync(cancellationToken);
    }

    public async Task<string?> Start(string specYaml, string specSource, string baseDir)
    {
        if (state.State.SpecYaml is null)
        {
            // A spec this silo refuses (bad data, paths outside its roots) fails the submission and is never persisted.
            SweepExpansion expansion;
            try { expansion = Expand(specYaml, specSource, baseDir); }
            catch (KvGridException e)
            {
                DeactivateOnIdle();
                return e.Message;
            }
            state.State.SpecYaml = specYaml;
            state.State.Name = expansion.Name;
            state.State.Source = specSource;
            state.State.BaseDir = baseDir;
            state.State.State = SweepState.Running;
            state.State.SubmittedAt = DateTimeOffset.UtcNow;
            state.State.Activations = 1;
            await state.WriteStateAsync();
        }
        else if (state.State.State == SweepState.Completed)
        {
            // A re-submitted finished sweep re-checks the ledger (e.g. failed trials may now succeed).
            state.State.State = SweepState.Running;
            state.State.Failed.Clear();
            state.State.Attempts.Clear();
            await state.WriteStateAsync();
            _queue = null;
        }
        if (_queue is null) await LoadAsync(CancellationToken.None);
        return null;
    }

    async Task LoadAsync(CancellationToken ct)
    {
        var expansion = Expand(state.State.SpecYaml!, state.State.Source ?? state.State.Name, state.State.BaseDir);
        if (expansion.SweepId != SweepId)
            logger.LogWarning("sweep {Id}: spec expands to id {Other} (data or models changed since submission)", SweepId, expansion.SweepId);
        var ledger = await store.CompletedTrialIdsAsync(SweepId, ct);
        var done = new List<string>();
        _byPress = new();
        _byRatio = new();
        _trialsTotal = _trialsDone = _trialsSkipped = 0;
        foreach (var c in expansion.Contexts)
        {
            var ids = TrialIdsOf(c);
            int stored = ids.Count(ledger.Contains);
            _trialsTotal += ids.Count;
            _trialsDone += stored;
            var (pd, pt) = _byPress.GetValueOrDefault(c.Press.Text);
            _byPress[c.Press.Text] = (pd + stored, pt + ids.Count);
            foreach (var ratio in c.Ratios)
            {
                int ratioStored = c.Turns.Count(t => ledger.Contains(TrialIds.For(c, ratio, t)));
                var (rd, rt) = _byRatio.GetValueOrDefault(ratio);
                _byRatio[ratio] = (rd + ratioStored, rt + c.Turns.Count);
            }
            if (stored == ids.Count) done.Add(c.ContextId);
        }
        _trialsSkipped = _trialsDone;
        _leasesExpiredPersisted = 0; // a new queue counts its expiries from zero
        _queue = new WorkQueue(expansion.Contexts, options.Value.LeaseDuration, options.Value.MaxAttempts, null, done, state.State.Attempts, state.State.Failed);
        _trialsFailed = _queue.FailedContexts.Keys.Sum(id => _queue.Get(id).TrialCount);
        await foreach (var row in store.ReadAsync(SweepId, ct)) _aggregator.Add(row);
        _timer ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { KeepAlive = true, Interleave = false });
        logger.LogInformation("sweep {Id} ({Name}): {Done}/{Total} contexts already done, {Trials} trials in the ledger", SweepId, state.State.Name, done.Count, _queue.Total, _trialsDone);
        await CheckFinishedAsync();
    }

    /// <summary>Model folders live on the shards' nodes, not necessarily here; spec paths must lie in this silo's roots.</summary>
    SweepExpansion Expand(string specYaml, string specSource, string baseDir) =>
        SweepExpander.Expand(SweepSpec.Parse(specYaml, specSource, baseDir, new SweepLoadOptions(CheckModelFolders: false, Roots: siloOptions.SpecRoots)));

    static List<string> TrialIdsOf(ContextWork c) =>
        c.Ratios.SelectMany(r => c.Turns.Select(t => TrialIds.For(c, r, t))).ToList();

    async Task Tick(CancellationToken ct)
    {
        if (_queue is null) return;
        if (state.State.State != SweepState.Running)
        {
            GridMetrics.PublishSweep(SweepId, new GridMetrics.SweepSnapshot(await GetProgress(), _aggregator.Rows(), 0));
            return;
        }
        int expired = _queue.ExpireLeases();
        if (expired > 0)
        {
            GridMetrics.LeasesExpired.Add(expired);
            logger.LogWarning("sweep {Id}: {Count} lease(s) expired; work handed out again", SweepId, expired);
        }
        await PersistFailuresIfChangedAsync();
        await PersistLifetimeIfChangedAsync();
        await CheckFinishedAsync();
        GridMetrics.PublishSweep(SweepId, new GridMetrics.SweepSnapshot(await GetProgress(), _aggregator.Rows(), _queue.Pending));
    }

    public Task<IReadOnlyList<WorkLease>> Lease(string shardId, string modelName, int max)
    {
        if (_queue is null || state.State.State != SweepState.Running) return Task.FromResult<IReadOnlyList<WorkLease>>([]);
        return Task.FromResult(_queue.Take(shardId, modelName, max));
    }

    public Task<IReadOnlyList<string>> Heartbeat(string shardId, IReadOnlyList<string> contextIds)
    {
        if (_queue is null || state.State.State != SweepState.Running) return Task.FromResult(contextIds);
        return Task.FromResult(_queue.Heartbeat(shardId, contextIds));
    }

    public Task Progress(string shardId, string contextId, IReadOnlyList<TrialResult> results)
    {
        if (_queue is not null) Absorb(results);
        return Task.CompletedTask;
    }

    public async Task Complete(string shardId, string contextId, IReadOnlyList<TrialResult> results, int prefills)
    {
        if (_queue is null) return;
        bool first = _queue.Complete(contextId);
        _prefills += prefills;
        Absorb(results);
        if (first) state.State.Prefills += prefills;
        GridMetrics.ContextsCompleted.Add(1);
        await CheckFinishedAsync();
    }

    readonly HashSet<string> _failedTrials = new();

    void Absorb(IReadOnlyList<TrialResult> results)
    {
        _trialsComputed += results.Count;
        foreach (var r in results)
        {
            if (r.Status != "ok")
            {
                // A trial that failed on its own (e.g. a ratio the remedy cannot meet): recorded, not retried.
                if (_failedTrials.Add(r.TrialId)) { _trialsFailed++; Remember($"{r.ContextId[..Math.Min(8, r.ContextId.Length)]}: {r.Error}"); }
                continue;
            }
            if (!_aggregator.Add(r)) { _duplicates++; continue; }
            _trialsDone++;
            _trialsSinceActivation++;
            // Keyed like the totals: the leased context's press, by its expression text.
            if (_queue!.TryGet(r.ContextId) is { } work)
            {
                var (d, t) = _byPress.GetValueOrDefault(work.Press.Text);
                _byPress[work.Press.Text] = (d + 1, t);
            }
            var (rd, rt) = _byRatio.GetValueOrDefault(r.Ratio);
            _byRatio[r.Ratio] = (rd + 1, rt);
        }
    }

    public async Task Fail(string shardId, string contextId, string error)
    {
        if (_queue is null) return;
        var outcome = _queue.Fail(shardId, contextId, error);
        if (outcome == FailureOutcome.Ignored) return;
        Remember($"{contextId[..Math.Min(8, contextId.Length)]}: {error}");
        logger.LogWarning("sweep {Id}: context {Context} failed on {Shard} ({Outcome}): {Error}", SweepId, contextId, shardId, outcome, error);
        state.State.Attempts = _queue.Attempts.ToDictionary();
        if (outcome == FailureOutcome.GaveUp) await RecordFailedTrialsAsync(contextId, error);
        await state.WriteStateAsync();
        await CheckFinishedAsync();
    }

    async Task RecordFailedTrialsAsync(string contextId, string error)
    {
        var work = _queue!.Get(contextId);
        var ledger = await store.CompletedTrialIdsAsync(SweepId, CancellationToken.None);
        var rows = work.Ratios.SelectMany(r => work.Turns.Select(t => (Ratio: r, Turn: t)))
            .Select(x => (x.Ratio, x.Turn, Id: TrialIds.For(work, x.Ratio, x.Turn)))
            .Where(x => !ledger.Contains(x.Id))
            .Select(x => TrialRows.Failed(work, x.Ratio, x.Turn, x.Id, error)).ToList();
        await store.UpsertAsync(rows, CancellationToken.None);
        _trialsFailed += rows.Count;
        state.State.Failed[contextId] = error;
        GridMetrics.TrialsFailed.Add(rows.Count);
    }

    async Task PersistFailuresIfChangedAsync()
    {
        // Contexts that ran out of attempts through expired leases become failed here.
        foreach (var (id, error) in _queue!.FailedContexts)
            if (!state.State.Failed.ContainsKey(id))
            {
                Remember($"{id[..Math.Min(8, id.Length)]}: {error}");
                await RecordFailedTrialsAsync(id, error);
                state.State.Attempts = _queue.Attempts.ToDictionary();
                await state.WriteStateAsync();
            }
    }

    /// <summary>Lifetime counters: this activation's share added to what earlier activations persisted.</summary>
    long LifetimeTrialsComputed => state.State.TrialsComputed + _trialsComputed - _trialsComputedPersisted;
    int LifetimeLeasesExpired => state.State.LeasesExpired + (_queue?.LeasesExpired ?? 0) - _leasesExpiredPersisted;
    long LifetimeDuplicates => state.State.DuplicateResults + _duplicates - _duplicatesPersisted;
    long _trialsComputedPersisted, _duplicates, _duplicatesPersisted;
    int _leasesExpiredPersisted;

    async Task PersistLifetimeIfChangedAsync()
    {
        if (_trialsComputed == _trialsComputedPersisted && _queue!.LeasesExpired == _leasesExpiredPersisted) return;
        state.State.TrialsComputed = LifetimeTrialsComputed;
        state.State.LeasesExpired = LifetimeLeasesExpired;
        state.State.DuplicateResults = LifetimeDuplicates;
        _trialsComputedPersisted = _trialsComputed;
        _duplicatesPersisted = _duplicates;
        _leasesExpiredPersisted = _queue!.LeasesExpired;
        await state.WriteStateAsync();
    }

    async Task CheckFinishedAsync()
    {
        if (_queue is null || state.State.State != SweepState.Running || !_queue.Finished) return;
        state.State.State = SweepState.Completed;
        await PersistLifetimeIfChangedAsync();
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ISweepRegistryGrain>(0).MarkFinished(SweepId, SweepState.Completed);
        logger.LogInformation("sweep {Id} completed: {Done} contexts done, {Failed} failed, {Prefills} prefills", SweepId, _queue.Done, _queue.Failed, state.State.Prefills);
    }

    public async Task Cancel()
    {
        if (state.State.State != SweepState.Running) return;
        _queue?.Clear();
        state.State.State = SweepState.Cancelled;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ISweepRegistryGrain>(0).MarkFinished(SweepId, SweepState.Cancelled);
    }

    public Task Release(string shardId, IReadOnlyList<string> contextIds)
    {
        _queue?.Release(shardId, contextIds);
        return Task.CompletedTask;
    }

    public Task<SweepProgress> GetProgress()
    {
        double rate = _clock.Elapsed.TotalSeconds > 1 ? _trialsSinceActivation / _clock.Elapsed.TotalSeconds : 0;
        int remaining = _trialsTotal - _trialsDone - _trialsFailed;
        TimeSpan? eta = rate > 0 && state.State.State == SweepState.Running ? TimeSpan.FromSeconds(remaining / rate) : null;
        return Task.FromResult(new SweepProgress(
            SweepId, state.State.Name, state.State.State,
            _queue?.Total ?? 0, _queue?.Done ?? 0, _queue?.Failed ?? 0, _queue?.Leased ?? 0,
            _trialsTotal, _trialsDone, _trialsFailed, _trialsSkipped, _prefills, _queue?.LeasesExpired ?? 0,
            rate, eta, _recentErrors.ToList(),
            _byPress.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new AxisProgress(p.Key, p.Value.Done, p.Value.Total)).ToList(),
            _trialsComputed,
            _byRatio.OrderBy(p => p.Key).Select(p => new AxisProgress("ratio " + p.Key.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture), p.Value.Done, p.Value.Total)).ToList(),
            new SweepLifetime(state.State.Activations, LifetimeTrialsComputed, LifetimeLeasesExpired, LifetimeDuplicates)));
    }

    public Task<string> HostSilo() => Task.FromResult(silo.Name);



    public Task<IReadOnlyList<AggregateRow>> GetAggregates() => Task.FromResult(_aggregator.Rows());

    void Remember(string error)
    {
        if (_recentErrors.Contains(error)) return;
        _recentErrors.Enqueue(error);
        while (_recentErrors.Count > 10) _recentErrors.Dequeue();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        GridMetrics.ClearSweep(SweepId);
        return Task.CompletedTask;
    }
}
