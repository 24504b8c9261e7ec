using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KvGrid.Telemetry;

/// <summary>
/// Where a context's time goes (meter "KvGrid", histogram kvgrid.context.phase.duration, label phase): tokenize,
/// prefill (with press scoring), prune (kept sets, cache selection, eviction analysis), decode, score (IFEval /
/// ROUGE), store (writing rows), coordinate (lease, complete). `kvgrid bench grid` sums these to show the share of
/// time spent outside model compute.
/// </summary>
public static class ContextPhases
{
    public const string InstrumentName = "kvgrid.context.phase.duration";
    static readonly Histogram<double> Duration = GridMetrics.Meter.CreateHistogram<double>(InstrumentName, "s", "Time a context spends in each phase");

    public static void Record(string phase, string model, TimeSpan elapsed) =>
        Duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("phase", phase), new KeyValuePair<string, object?>("model", model));

    /// <summary>Times a block: <c>using (ContextPhases.Time("decode", model)) { ... }</c>.</summary>
    public static PhaseTimer Time(string phase, string model) => new(phase, model);

    public readonly struct PhaseTimer(string phase, string model) : IDisposable
    {
        readonly long _start = Stopwatch.GetTimestamp();
        public void Dispose() => Record(phase, model, Stopwatch.GetElapsedTime(_start));
    }
}
