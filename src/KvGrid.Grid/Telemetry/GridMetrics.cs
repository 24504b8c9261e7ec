using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace KvGrid.Grid.Telemetry;

/// <summary>
/// KvGrid's instruments (Meter "KvGrid"), following OpenTelemetry conventions: units, counters exported with a
/// _total suffix, bounded label sets (model, press, remedy, ratio, defense order; never trial ids or text).
/// </summary>
public static class GridMetrics
{
    public const string MeterName = "KvGrid";
    public static readonly Meter Meter = new(MeterName, "1.0");

    public static readonly Counter<long> TrialsCompleted = Meter.CreateCounter<long>("kvgrid.trials.completed", "{trial}", "Trials completed");
    public static readonly Counter<long> TrialsFailed = Meter.CreateCounter<long>("kvgrid.trials.failed", "{trial}", "Trials recorded as failed after bounded retries");
    public static readonly Counter<long> ContextsCompleted = Meter.CreateCounter<long>("kvgrid.contexts.completed", "{context}", "Contexts completed (one prefill each)");
    public static readonly Counter<long> LeasesExpired = Meter.CreateCounter<long>("kvgrid.leases.expired", "{lease}", "Leases that expired and were handed out again");
    public static readonly Histogram<double> ShardModelLoadSeconds = Meter.CreateHistogram<double>("kvgrid.shard.model_load.duration", "s", "Time to load a model on a shard");

    static readonly ConcurrentDictionary<string, object> Sweeps = new();

    public static void SetSweep(string sweepId, object coordinator) => Sweeps[sweepId] = coordinator;
    public static void ClearSweep(string sweepId) => Sweeps.TryRemove(sweepId, out _);

    /// <summary>Counts trials of a stored batch (labels: model, press, remedy).</summary>
    public static void RecordTrials(IReadOnlyList<TrialResult> rows)
    {
        foreach (var r in rows)
        {
            var tags = new TagList { { "model", r.Model }, { "press", r.Press }, { "remedy", r.Remedy } };
            if (r.Status == "ok") TrialsCompleted.Add(1, tags); else TrialsFailed.Add(1, tags);
        }
    }
}
