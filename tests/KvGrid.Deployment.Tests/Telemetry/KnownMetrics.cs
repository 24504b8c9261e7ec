using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests.Telemetry;

/// <summary>
/// The series names a KvGrid silo exports: Meter "KvGrid" names derived from GridMetrics.cs by
/// <see cref="PrometheusNaming"/>, plus the runtime's and Orleans' names and Prometheus' own `up`, as scraped from
/// a real silo (Fixtures/scraped-metric-names.txt).
/// </summary>
public static class KnownMetrics
{
    public static IReadOnlyList<Instrument> GridInstruments { get; } = GridMetricsSource.Read();

    public static IReadOnlySet<string> GridSeries { get; } =
        GridInstruments.SelectMany(PrometheusNaming.SeriesNames).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<string> Scraped { get; } =
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "scraped-metric-names.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    /// <summary>Names dashboards may use that do not come from Meter "KvGrid".</summary>
    public static IReadOnlySet<string> OtherSeries { get; } =
        Scraped.Where(n => n.StartsWith("dotnet_", StringComparison.Ordinal) || n.StartsWith("orleans_", StringComparison.Ordinal) || n == "up")
            .Where(n => !n.EndsWith("_created", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

    public static bool IsKnown(string series) => GridSeries.Contains(series) || OtherSeries.Contains(series);
}
