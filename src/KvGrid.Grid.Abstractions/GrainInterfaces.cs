using KvGrid.Contracts;
using Orleans.Concurrency;

namespace KvGrid.Grid;

/// <summary>The cluster's list of sweeps (one activation, key 0). Shards ask it which sweeps have work.</summary>
public interface ISweepRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Registers a sweep (idempotent: the same spec gives the same id) and starts its coordinator. A spec the silo
    /// refuses comes back as <see cref="SweepSubmission.Error"/> (one line), never as an exception across the wire.
    /// </summary>
    /// <param name="specSource">The spec's file name: errors about the spec name it (the sweep's name is the spec's own).</param>
    Task<SweepSubmission> Submit(string sweepId, string specYaml, string specSource, string baseDir);
    [ReadOnly] Task<IReadOnlyList<SweepInfo>> List();
    [ReadOnly] Task<IReadOnlyList<string>> ActiveSweepIds();
    /// <summary>Called by coordinators, possibly while Submit is starting them: must interleave.</summary>
    [AlwaysInterleave] Task MarkFinished(string sweepId, SweepState state);
}

/// <summary>
/// One per sweep: owns the sweep's state, hands out contexts as leases with expiry, takes them back when a
/// shard stops heartbeating (a lost silo), retries failures a bounded number of times, aggregates metrics.
/// </summary>
public interface ISweepCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Starts (or resumes) the sweep; paths in the spec resolve against baseDir. Returns why a new spec was refused, or null.</summary>
    Task<string?> Start(string specYaml, string specSource, string baseDir);
    Task<IReadOnlyList<WorkLease>> Lease(string shardId, string modelName, int max);
    /// <summary>Extends the shard's leases; returns the ids it no longer holds (expired, cancelled, or done elsewhere).</summary>
    Task<IReadOnlyList<string>> Heartbeat(string shardId, IReadOnlyList<string> contextIds);
    /// <summary>Results stored so far for a leased context (one call per ratio): live progress and metrics.</summary>
    Task Progress(string shardId, string contextId, IReadOnlyList<TrialResult> results);
    Task Complete(string shardId, string contextId, IReadOnlyList<TrialResult> results, int prefills);
    Task Fail(string shardId, string contextId, string error);
    /// <summary>Hands leases back without counting an attempt (graceful shutdown).</summary>
    Task Release(string shardId, IReadOnlyList<string> contextIds);
    Task Cancel();
    [AlwaysInterleave] Task<SweepProgress> GetProgress();
    /// <summary>Name of the silo this coordinator activation lives on (for status and failover tests).</summary>
    [AlwaysInterleave] Task<string> HostSilo();
    [AlwaysInterleave] Task<IReadOnlyList<AggregateRow>> GetAggregates();
}
