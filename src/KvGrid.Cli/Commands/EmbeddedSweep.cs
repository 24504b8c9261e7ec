using KvGrid.Contracts;
using KvGrid.Grid;
using KvGrid.Hosting;
using KvGrid.Results;
using KvGrid.Sweeps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace KvGrid.Cli.Commands;

/// <summary>
/// The embedded default: an in-process silo (localhost clustering, in-memory grain state) with one shard per model
/// of the spec, results in a local store. Ctrl-C stops cleanly; the results store is the ledger, so running the
/// same command again resumes and computes only what is missing.
/// </summary>
public static class EmbeddedSweep
{
    public sealed record Options(string Results, string? Device = null, int MetricsPort = 0, bool Plain = false, bool PrintSummary = true);

    public sealed record Outcome(int ExitCode, SweepProgress Progress, IReadOnlyList<AggregateRow> Aggregates, TimeSpan Wall, DateTimeOffset SubmittedAt);

    public static async Task<int> RunAsync(string specPath, Options options, CancellationToken ct) =>
        (await RunWithOutcomeAsync(specPath, options, ct)).ExitCode;

    public static async Task<Outcome> RunWithOutcomeAsync(string specPath, Options options, CancellationToken ct)
    {
        var parsed = SweepSpec.Load(specPath);
        var expansion = SweepExpander.Expand(parsed);
        var (siloPort, gatewayPort) = KvGridSilo.FreePorts();
        var settings = new SiloSettings
        {
            SiloName = "embedded",
            Results = options.Results,
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
            MetricsPort = options.MetricsPort,
            LeaseDuration = TimeSpan.FromMinutes(10), // one process: a lease can only be lost with the process
            Shards = expansion.Contexts.Select(c => c.Model).DistinctBy(m => m.Name)
                .Select(m => new ShardSettings { Model = m.Name, Path = m.Path, DType = m.DType, Device = options.Device ?? (m.Device is "" or "any" ? "cpu" : m.Device) })
                .ToList(),
        };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var host = KvGridProcess.BuildSilo(settings, logging => logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            await host.StartAsync(CancellationToken.None);
            // SIGTERM (and SIGQUIT) reach the host's console lifetime: treat them like Ctrl-C.
            host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => interrupt.Cancel());
            if (options.MetricsPort > 0) Console.Error.WriteLine($"metrics: http://127.0.0.1:{options.MetricsPort}/metrics");
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var baseDir = Path.GetDirectoryName(Path.GetFullPath(specPath))!;
            var submittedAt = DateTimeOffset.UtcNow;
            _ = (await grains.GetGrain<ISweepRegistryGrain>(0).Submit(expansion.SweepId, File.ReadAllText(specPath), Path.GetFileName(specPath), baseDir)).Accepted;
            var coordinator = grains.GetGrain<ISweepCoordinatorGrain>(expansion.SweepId);
            var progress = await SweepProgressView.FollowAsync(coordinator, options.Plain, interrupt.Token);
            var aggregates = await coordinator.GetAggregates();
            if (interrupt.IsCancellationRequested)
            {
                AnsiConsole.MarkupLine($"[yellow]interrupted[/]: {progress.TrialsDone}/{progress.TrialsTotal} trials stored in {Markup.Escape(ResultsStore.Redact(settings.Results))}; run the same command again to resume.");
                await host.StopAsync(CancellationToken.None);
                return new Outcome(130, progress, aggregates, watch.Elapsed, submittedAt);
            }
            if (options.PrintSummary) SweepProgressView.Summary(progress, aggregates, ResultsStore.Redact(settings.Results));
            await host.StopAsync(CancellationToken.None);
            return new Outcome(0, progress, aggregates, watch.Elapsed, submittedAt);
        }
        finally { Console.CancelKeyPress -= onCancel; }
    }
}
