using KvGrid.Contracts;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;


namespace KvGrid.Telemetry;

/// <summary>
/// KvGrid's instruments (Meter "KvGrid"), with OpenTelemetry conventions: UCUM units, counters (exported with a
/// _total suffix), histograms in seconds. Labels are bounded: model, press, remedy, ratio, defense order, span
/// label, sweep id, shard; never trial ids or text. Live quality gauges read snapshots the coordinators publish
/// every second, so a scrape never touches grain state.
/// </summary>
public static class GridMetrics
{
    public const string MeterName = "KvGrid";
    public static readonly Meter Meter = new(MeterName, "1.0");

    public static readonly Counter<long> TrialsStarted = Meter.CreateCounter<long>("kvgrid.trials.started", "{trial}", "Trials started on a shard");
    public static readonly Counter<long> TrialsCompleted = Meter.CreateCounter<long>("kvgrid.trials.completed", "{trial}", "Trials completed and stored");
    public static readonly Counter<long> TrialsFailed = Meter.CreateCounter<long>("kvgrid.trials.failed", "{trial}", "Trials recorded as failed after bounded retries");
    public static readonly Counter<long> ContextsPrefilled = Meter.CreateCounter<long>("kvgrid.contexts.prefilled", "{context}", "Context prefills (one per context, whatever its ratios and turns)");
    public static readonly Counter<long> ContextsCompleted = Meter.CreateCounter<long>("kvgrid.contexts.completed", "{context}", "Contexts completed");
    public static readonly Counter<long> PrefillTokens = Meter.CreateCounter<long>("kvgrid.tokens.prefill", "{token}", "Context tokens prefilled");
    public static readonly Counter<long> DecodeTokens = Meter.CreateCounter<long>("kvgrid.tokens.decode", "{token}", "Tokens generated");
    public static readonly Counter<long> LeasesExpired = Meter.CreateCounter<long>("kvgrid.leases.expired", "{lease}", "Leases that expired and were handed out again");
    public static readonly Histogram<double> TrialDuration = Meter.CreateHistogram<double>("kvgrid.trial.duration", "s", "Decode time of a trial plus its share of the context's prefill");
    public static readonly Histogram<double> PrefillDuration = Meter.CreateHistogram<double>("kvgrid.prefill.duration", "s", "Time to prefill and score one context");
    public static readonly Histogram<double> ShardModelLoadSeconds = Meter.CreateHistogram<double>("kvgrid.shard.model_load.duration", "s", "Time to load a model on a shard");

    static readonly ConcurrentDictionary<string, SweepSnapshot> Sweeps = new();
    static readonly ConcurrentDictionary<(string Model, string Press, double Ratio, string Stage), long> KvBytes = new();
    static readonly ConcurrentDictionary<string, ShardSnapshot> Shards = new();

    /// <summary>What a coordinator publishes each second.</summary>
    public sealed record SweepSnapshot(SweepProgress Progress, IReadOnlyList<AggregateRow> Aggregates, int QueueDepth);

    public sealed record ShardSnapshot(string Model, bool Up, double Throughput, double DecodeThroughput, long ModelBytes);

    static GridMetrics()
    {
        Meter.CreateObservableGauge("kvgrid.sweep.trials.done", () => Sweeps.Select(s => Measure(s.Value.Progress.TrialsDone, ("sweep", s.Key))), "{trial}", "Trials done (stored) per sweep");
        Meter.CreateObservableGauge("kvgrid.sweep.trials.planned", () => Sweeps.Select(s => Measure(s.Value.Progress.TrialsTotal, ("sweep", s.Key))), "{trial}", "Trials in the sweep");
        Meter.CreateObservableGauge("kvgrid.sweep.trials.failed", () => Sweeps.Select(s => Measure(s.Value.Progress.TrialsFailed, ("sweep", s.Key))), "{trial}", "Trials failed in the sweep");
        Meter.CreateObservableGauge("kvgrid.sweep.running", () => Sweeps.Select(s => Measure(s.Value.Progress.State == SweepState.Running ? 1 : 0, ("sweep", s.Key))), "1", "1 while the sweep runs");
        Meter.CreateObservableGauge("kvgrid.queue.depth", () => Sweeps.Select(s => Measure(s.Value.QueueDepth, ("sweep", s.Key))), "{context}", "Contexts waiting for a shard");
        Meter.CreateObservableGauge("kvgrid.leases.outstanding", () => Sweeps.Select(s => Measure(s.Value.Progress.ContextsLeased, ("sweep", s.Key))), "{lease}", "Contexts leased to shards");
        Meter.CreateObservableGauge("kvgrid.defense.success", () => Cells(r => r.LeakageTrials > 0, r => r.DefenseSuccess), "1", "Defense success rate (1 - leak rate), live");
        Meter.CreateObservableGauge("kvgrid.leak.rate", () => Cells(r => r.LeakageTrials > 0, r => r.LeakRate), "1", "Leak rate (ROUGE-L recall > 0.3), live");
        Meter.CreateObservableGauge("kvgrid.ifeval.accuracy", IfEvalCells, "1", "IFEval accuracy by level (prompt|instruction) and mode (strict|loose), live");
        Meter.CreateObservableGauge("kvgrid.span.keep", SpanCells, "1", "Mean fraction of (layer, KV head) pairs keeping a span's tokens, live");
        Meter.CreateObservableGauge("kvgrid.kv_cache.size", () => KvBytes.Select(k => Measure(k.Value, ("model", k.Key.Model), ("press", k.Key.Press), ("ratio", Ratio(k.Key.Ratio)), ("stage", k.Key.Stage))), "By", "KV cache bytes of the last context before and after compression");
        Meter.CreateObservableGauge("kvgrid.shard.up", () => Shards.Select(s => Measure(s.Value.Up ? 1 : 0, ("shard", s.Key), ("model", s.Value.Model))), "1", "1 while a shard's worker runs");
        Meter.CreateObservableGauge("kvgrid.shard.model.memory", () => Shards.Select(s => Measure(s.Value.ModelBytes, ("shard", s.Key), ("model", s.Value.Model))), "By", "Bytes of the model weights a shard holds");
        Meter.CreateObservableGauge("kvgrid.prefill.throughput", () => Shards.Select(s => Measure(s.Value.Throughput, ("shard", s.Key), ("model", s.Value.Model))), "{token}/s", "Prefill tokens per second of the shard's last context");
        Meter.CreateObservableGauge("kvgrid.decode.throughput", () => Shards.Select(s => Measure(s.Value.DecodeThroughput, ("shard", s.Key), ("model", s.Value.Model))), "{token}/s", "Decode tokens per second of the shard's last context");
    }

    static string Ratio(double r) => r.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture);

    static Measurement<double> Measure(double value, params (string Key, object? Value)[] tags) =>
        new(value, tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)).ToArray());

    static KeyValuePair<string, object?>[] CellTags(AggregateRow r) =>
    [
        new("model", r.Model), new("press", r.Press), new("remedy", r.Remedy), new("ratio", Ratio(r.Ratio)), new("defense_order", r.DefenseOrder),
    ];

    static IEnumerable<Measurement<double>> Cells(Func<AggregateRow, bool> has, Func<AggregateRow, double> value) =>
        Sweeps.Values.SelectMany(s => s.Aggregates).Where(has).Select(r => new Measurement<double>(value(r), CellTags(r)));

    static IEnumerable<Measurement<double>> IfEvalCells() =>
        Sweeps.Values.SelectMany(s => s.Aggregates).Where(r => r.IfEvalTrials > 0).SelectMany(r => new[]
        {
            new Measurement<double>(r.PromptStrictAccuracy, [.. CellTags(r), new("level", "prompt"), new("mode", "strict")]),
            new Measurement<double>(r.PromptLooseAccuracy, [.. CellTags(r), new("level", "prompt"), new("mode", "loose")]),
            new Measurement<double>(r.InstructionStrictAccuracy, [.. CellTags(r), new("level", "instruction"), new("mode", "strict")]),
            new Measurement<double>(r.InstructionLooseAccuracy, [.. CellTags(r), new("level", "instruction"), new("mode", "loose")]),
        });

    static IEnumerable<Measurement<double>> SpanCells() =>
        Sweeps.Values.SelectMany(s => s.Aggregates).SelectMany(r => r.MeanSpanKeep.Select(k => new Measurement<double>(k.Value, [.. CellTags(r), new("span", k.Key)])));

    public static void PublishSweep(string sweepId, SweepSnapshot snapshot) => Sweeps[sweepId] = snapshot;
    public static void ClearSweep(string sweepId) => Sweeps.TryRemove(sweepId, out _);
    public static void PublishShard(string shardId, ShardSnapshot snapshot) => Shards[shardId] = snapshot;

    /// <summary>Counts a stored batch of trials and records their sizes and durations.</summary>
    public static void RecordTrials(IReadOnlyList<TrialResult> rows)
    {
        foreach (var r in rows)
        {
            var tags = new TagList { { "model", r.Model }, { "press", r.Press }, { "remedy", r.Remedy } };
            if (r.Status != "ok") { TrialsFailed.Add(1, tags); continue; }
            TrialsCompleted.Add(1, tags);
            DecodeTokens.Add(r.GeneratedTokens, new KeyValuePair<string, object?>("model", r.Model));
            TrialDuration.Record(r.DecodeMs / 1000.0, new KeyValuePair<string, object?>("model", r.Model), new KeyValuePair<string, object?>("press", r.Press));
            KvBytes[(r.Model, r.Press, r.Ratio, "before")] = r.KvBytesBefore;
            KvBytes[(r.Model, r.Press, r.Ratio, "after")] = r.KvBytesAfter;
        }
    }
}
