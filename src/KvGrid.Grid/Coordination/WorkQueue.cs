using KvGrid.Contracts;

namespace KvGrid.Grid.Coordination;

/// <summary>What happened to a failed context.</summary>
public enum FailureOutcome { Retried, GaveUp, Ignored }

/// <summary>
/// The coordinator's bookkeeping, free of Orleans so it can be tested alone: pending contexts, leases with
/// expiry (a shard that stops heartbeating, e.g. on a lost silo, loses its leases and the work is handed out
/// again), bounded retries with the last error kept, and completion.
/// </summary>
public sealed class WorkQueue
{
    sealed record Lease(string ShardId, DateTimeOffset ExpiresAt, int Attempt);

    readonly Dictionary<string, ContextWork> _contexts;
    readonly LinkedList<string> _pending = new();
    readonly Dictionary<string, Lease> _leases = new();
    readonly HashSet<string> _done = new();
    readonly Dictionary<string, string> _failed = new();
    readonly Dictionary<string, int> _attempts = new();
    readonly TimeProvider _time;

    public TimeSpan LeaseDuration { get; }
    public int MaxAttempts { get; }
    public int LeasesExpired { get; private set; }

    public WorkQueue(IEnumerable<ContextWork> contexts, TimeSpan leaseDuration, int maxAttempts, TimeProvider? time = null,
        IEnumerable<string>? done = null, IReadOnlyDictionary<string, int>? attempts = null, IReadOnlyDictionary<string, string>? failed = null)
    {
        _contexts = contexts.ToDictionary(c => c.ContextId);
        LeaseDuration = leaseDuration;
        MaxAttempts = Math.Max(1, maxAttempts);
        _time = time ?? TimeProvider.System;
        if (done is not null) _done.UnionWith(done.Where(_contexts.ContainsKey));
        if (attempts is not null) foreach (var (k, v) in attempts) _attempts[k] = v;
        if (failed is not null) foreach (var (k, v) in failed) if (_contexts.ContainsKey(k) && !_done.Contains(k)) _failed[k] = v;
        foreach (var id in _contexts.Keys.Order(StringComparer.Ordinal))
            if (!_done.Contains(id) && !_failed.ContainsKey(id)) _pending.AddLast(id);
    }

    public int Total => _contexts.Count;
    public int Done => _done.Count;
    public int Failed => _failed.Count;
    public int Leased => _leases.Count;
    public int Pending => _pending.Count;
    public bool Finished => _pending.Count == 0 && _leases.Count == 0;
    public IReadOnlyDictionary<string, string> FailedContexts => _failed;
    public IReadOnlyDictionary<string, int> Attempts => _attempts;
    public IEnumerable<ContextWork> Contexts => _contexts.Values;
    public ContextWork Get(string contextId) => _contexts[contextId];
    public ContextWork? TryGet(string contextId) => _contexts.GetValueOrDefault(contextId);
    public bool IsDone(string contextId) => _done.Contains(contextId);

    /// <summary>Hands out up to max pending contexts of the given model (in a stable order).</summary>
    public IReadOnlyList<WorkLease> Take(string shardId, string modelName, int max)
    {
        ExpireLeases();
        var result = new List<WorkLease>();
        var node = _pending.First;
        while (node is not null && result.Count < max)
        {
            var next = node.Next;
            var work = _contexts[node.Value];
            if (work.Model.Name == modelName)
            {
                _pending.Remove(node);
                int attempt = _attempts.GetValueOrDefault(work.ContextId) + 1;
                var lease = new Lease(shardId, _time.GetUtcNow() + LeaseDuration, attempt);
                _leases[work.ContextId] = lease;
                result.Add(new WorkLease(work, lease.ExpiresAt, attempt));
            }
            node = next;
        }
        return result;
    }

    /// <summary>Extends this shard's leases; returns the ids it no longer holds.</summary>
    public IReadOnlyList<string> Heartbeat(string shardId, IReadOnlyList<string> contextIds)
    {
        ExpireLeases();
        var lost = new List<string>();
        foreach (var id in contextIds)
        {
            if (_leases.TryGetValue(id, out var lease) && lease.ShardId == shardId)
                _leases[id] = lease with { ExpiresAt = _time.GetUtcNow() + LeaseDuration };
            else lost.Add(id);
        }
        return lost;
    }

    /// <summary>Marks a context done. Results are idempotent rows, so a late completion of a re-leased context still counts.</summary>
    public bool Complete(string contextId)
    {
        if (!_contexts.ContainsKey(contextId)) return false;
        _leases.Remove(contextId);
        RemovePending(contextId);
        _failed.Remove(contextId);
        return _done.Add(contextId);
    }

    public FailureOutcome Fail(string shardId, string contextId, string error)
    {
        if (!_leases.TryGetValue(contextId, out var lease) || lease.ShardId != shardId || _done.Contains(contextId)) return FailureOutcome.Ignored;
        _leases.Remove(contextId);
        _attempts[contextId] = lease.Attempt;
        if (lease.Attempt >= MaxAttempts)
        {
            _failed[contextId] = error;
            return FailureOutcome.GaveUp;
        }
        _pending.AddFirst(contextId);
        return FailureOutcome.Retried;
    }

    /// <summary>Takes leases back without counting an attempt (a shard shutting down gracefully).</summary>
    public void Release(string shardId, IReadOnlyList<string> contextIds)
    {
        foreach (var id in contextIds)
            if (_leases.TryGetValue(id, out var lease) && lease.ShardId == shardId)
            {
                _leases.Remove(id);
                _pending.AddFirst(id);
            }
    }

    /// <summary>Returns expired leases to the queue (their attempt still counts against the retry bound).</summary>
    public int ExpireLeases()
    {
        var now = _time.GetUtcNow();
        var expired = _leases.Where(l => l.Value.ExpiresAt <= now).Select(l => (l.Key, l.Value)).ToList();
        foreach (var (id, lease) in expired)
        {
            _leases.Remove(id);
            _attempts[id] = lease.Attempt;
            if (lease.Attempt >= MaxAttempts) _failed[id] = $"lease expired {lease.Attempt} time(s) (shard {lease.ShardId} stopped responding)";
            else _pending.AddFirst(id);
        }
        LeasesExpired += expired.Count;
        return expired.Count;
    }

    /// <summary>Drops all pending work (cancel); leased work is reported lost on the next heartbeat.</summary>
    public void Clear()
    {
        _pending.Clear();
        _leases.Clear();
    }

    void RemovePending(string id)
    {
        for (var n = _pending.First; n is not null; n = n.Next)
            if (n.Value == id) { _pending.Remove(n); return; }
    }
}
