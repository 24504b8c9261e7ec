using KvGrid.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace KvGrid.Hosting;

/// <summary>
/// Builds a KvGrid silo process: a web host serving /metrics (Prometheus text, OpenTelemetry) and /health when a
/// metrics port is set, a plain generic host otherwise.
/// </summary>
public static class KvGridProcess
{
    public static IHost BuildSilo(SiloSettings settings, Action<ILoggingBuilder>? logging = null, string[]? args = null)
    {
        if (settings.MetricsPort <= 0)
        {
            var plain = Host.CreateApplicationBuilder(args ?? []);
            logging?.Invoke(plain.Logging);
            plain.AddKvGridSilo(settings);
            return plain.Build();
        }
        var web = WebApplication.CreateSlimBuilder(args ?? []);
        logging?.Invoke(web.Logging);
        web.WebHost.UseUrls($"http://{settings.MetricsAddress}:{settings.MetricsPort}");
        web.AddKvGridSilo(settings);
        web.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GridMetrics.MeterName)
            .AddMeter("Microsoft.Orleans")
            .AddRuntimeInstrumentation()
            .AddView(instrument => instrument.Unit == "s"
                ? new ExplicitBucketHistogramConfiguration { Boundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] }
                : null)
            .AddPrometheusExporter());
        web.Services.AddHealthChecks();
        var app = web.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthChecks("/health");
        return app;
    }
}
