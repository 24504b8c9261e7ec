using KvGrid.Contracts;

namespace KvGrid.Results;

/// <summary>
/// The results store: one row per trial, keyed by the trial id, and the list of sweeps. It is also the resume
/// ledger: a restarted sweep skips every trial whose id <see cref="CompletedTrialIdsAsync"/> returns.
/// <para>
/// Replacement rule of <see cref="UpsertAsync"/> (a retried or duplicated execution never creates a second row):
/// a row replaces the stored row of the same trial id only when the stored one is "failed". So "ok" replaces
/// "failed", "failed" replaces "failed" (the latest error is kept), "failed" never replaces "ok", and an "ok"
/// row never replaces an "ok" one: the first successful execution is kept, which makes the store's content
/// independent of how often a context was re-run after it succeeded (a lease that expired while its shard
/// was still finishing, a duplicated Complete).
/// </para>
/// </summary>
public interface IResultsStore : IAsyncDisposable
{
    /// <summary>Describes the store for messages ("sqlite results/kvgrid.db", "postgresql 10.0.0.5:5432/kvgrid").</summary>
    string Description { get; }

    /// <summary>Creates or migrates the schema (idempotent; every other call runs it once first anyway).</summary>
    Task EnsureSchemaAsync(CancellationToken ct = default);

    /// <summary>Inserts or replaces the sweep's row (name, state, submission time, spec).</summary>
    Task RecordSweepAsync(SweepInfo info, string specYaml, CancellationToken ct = default);

    /// <summary>Writes the rows in one transaction, idempotently by trial id (see the replacement rule above).</summary>
    Task UpsertAsync(IReadOnlyList<TrialResult> rows, CancellationToken ct = default);

    /// <summary>The ids of the sweep's trials stored with status "ok": the resume ledger.</summary>
    Task<IReadOnlySet<string>> CompletedTrialIdsAsync(string sweepId, CancellationToken ct = default);

    /// <summary>Every stored row of the sweep (all sweeps when null), ordered by sweep id, context id, trial id (ordinal).</summary>
    IAsyncEnumerable<TrialResult> ReadAsync(string? sweepId, CancellationToken ct = default);

    /// <summary>Row counts of the sweep (all sweeps when null).</summary>
    Task<ResultCounts> CountAsync(string? sweepId, CancellationToken ct = default);

    /// <summary>Every recorded sweep, oldest submission first.</summary>
    Task<IReadOnlyList<(SweepInfo Info, string SpecYaml)>> ListSweepsAsync(CancellationToken ct = default);
}

/// <summary>Stored trials by status, and the number of distinct (sweep, context) pairs among them.</summary>
public sealed record ResultCounts(long Ok, long Failed, long Contexts)
{
    public long Total => Ok + Failed;
}
