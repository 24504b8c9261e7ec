using System.CommandLine;
using KvGrid.Grid;
using KvGrid.Hosting;
using KvGrid.Sweeps;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace KvGrid.Cli.Commands;

/// <summary>
/// `kvgrid sweep ...`: run a sweep embedded (in-process silo, SQLite results under results/), or submit it to a
/// cluster and follow it (status, watch, cancel, list). `plan` prints the expansion without running.
/// </summary>
public static class SweepCommands
{
    public static Command Create()
    {
        var cmd = new Command("sweep", "Run, submit and follow sweeps");
        cmd.Add(SweepPlanCommand.Create());
        cmd.Add(Run());
        cmd.Add(Submit());
        cmd.Add(Status());
        cmd.Add(Watch());
        cmd.Add(Cancel());
        cmd.Add(List());
        // Every command that talks to a cluster can speak mutual TLS to its gateways.
        foreach (var client in cmd.Subcommands.Where(c => c.Options.Contains(RedisOption)))
            foreach (var option in ClusterTlsFlags.All) client.Add(option);
        return cmd;
    }

    static readonly Option<string> RedisOption = new("--redis") { Description = "cluster membership store (Redis connection string)", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("KVGRID_REDIS") ?? "127.0.0.1:6379" };
    static readonly Option<string> ClusterIdOption = new("--cluster-id") { DefaultValueFactory = _ => "kvgrid" };

    static Command Run()
    {
        var spec = new Argument<string>("spec") { Description = "sweep spec (YAML)" };
        var results = new Option<string>("--results") { Description = "results store (default: sqlite:results/kvgrid.db)", DefaultValueFactory = _ => "sqlite:results/kvgrid.db" };
        var device = new Option<string?>("--device") { Description = "device for every model (default: each model's, else cpu)" };
        var metricsPort = new Option<int>("--metrics-port") { Description = "serve /metrics and /health on this port (0: off)" };
        var quiet = new Option<bool>("--no-progress") { Description = "plain progress lines instead of live bars" };
        var cmd = new Command("run", "Run a sweep embedded: in-process silo, nothing to install; Ctrl-C stops, the same command resumes") { spec, results, device, metricsPort, quiet };
        cmd.SetRunAsync((p, ct) => EmbeddedSweep.RunAsync(p.GetValue(spec)!, new EmbeddedSweep.Options(p.GetValue(results)!, p.GetValue(device), p.GetValue(metricsPort), p.GetValue(quiet)), ct));
        return cmd;
    }

    static Command Submit()
    {
        var spec = new Argument<string>("spec");
        var watch = new Option<bool>("--watch") { Description = "follow the sweep until it finishes" };
        var cmd = new Command("submit", "Submit a sweep to a cluster") { spec, RedisOption, ClusterIdOption, watch };
        cmd.SetRunAsync(async (p, ct) =>
        {
            var path = p.GetValue(spec)!;
            var parsed = SweepSpec.Load(path);
            var expansion = SweepExpander.Expand(parsed);
            using var client = await ConnectAsync(p, ct);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var info = (await grains.GetGrain<ISweepRegistryGrain>(0).Submit(expansion.SweepId, File.ReadAllText(path), Path.GetFileName(path), Path.GetDirectoryName(Path.GetFullPath(path))!)).Accepted;
            Console.WriteLine(info.SweepId);
            if (!p.GetValue(watch)) return 0;
            var coordinator = grains.GetGrain<ISweepCoordinatorGrain>(info.SweepId);
            var progress = await SweepProgressView.FollowAsync(coordinator, false, ct);
            SweepProgressView.Summary(progress, await coordinator.GetAggregates(), "the cluster's results store");
            return 0;
        });
        return cmd;
    }

    static Command Status()
    {
        var id = new Argument<string>("sweep-id");
        var json = new Option<bool>("--json");
        var cmd = new Command("status", "Progress of a sweep") { id, RedisOption, ClusterIdOption, json };
        cmd.SetRunAsync(async (p, ct) =>
        {
            using var client = await ConnectAsync(p, ct);
            var coordinator = client.Services.GetRequiredService<IClusterClient>().GetGrain<ISweepCoordinatorGrain>(p.GetValue(id)!);
            var progress = await coordinator.GetProgress();
            if (p.GetValue(json)) Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(progress));
            else SweepProgressView.PrintStatus(progress);
            return 0;
        });
        return cmd;
    }

    static Command Watch()
    {
        var id = new Argument<string>("sweep-id");
        var cmd = new Command("watch", "Follow a sweep live until it finishes") { id, RedisOption, ClusterIdOption };
        cmd.SetRunAsync(async (p, ct) =>
        {
            using var client = await ConnectAsync(p, ct);
            var coordinator = client.Services.GetRequiredService<IClusterClient>().GetGrain<ISweepCoordinatorGrain>(p.GetValue(id)!);
            var progress = await SweepProgressView.FollowAsync(coordinator, false, ct);
            SweepProgressView.Summary(progress, await coordinator.GetAggregates(), "the cluster's results store");
            return 0;
        });
        return cmd;
    }

    static Command Cancel()
    {
        var id = new Argument<string>("sweep-id");
        var cmd = new Command("cancel", "Cancel a sweep (stored results stay)") { id, RedisOption, ClusterIdOption };
        cmd.SetRunAsync(async (p, ct) =>
        {
            using var client = await ConnectAsync(p, ct);
            await client.Services.GetRequiredService<IClusterClient>().GetGrain<ISweepCoordinatorGrain>(p.GetValue(id)!).Cancel();
            Console.WriteLine("cancelled");
            return 0;
        });
        return cmd;
    }

    static Command List()
    {
        var cmd = new Command("list", "Sweeps known to the cluster") { RedisOption, ClusterIdOption };
        cmd.SetRunAsync(async (p, ct) =>
        {
            using var client = await ConnectAsync(p, ct);
            var sweeps = await client.Services.GetRequiredService<IClusterClient>().GetGrain<ISweepRegistryGrain>(0).List();
            var table = new Table().AddColumn("sweep").AddColumn("name").AddColumn("state").AddColumn("submitted");
            foreach (var s in sweeps) table.AddRow(s.SweepId, Markup.Escape(s.Name), s.State.ToString(), s.SubmittedAt.ToString("u"));
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    /// <summary>A Redis connection as it may be printed: without its password.</summary>
    static string RedactRedis(string connection)
    {
        try { return StackExchange.Redis.ConfigurationOptions.Parse(connection).ToString(includePassword: false); }
        catch (ArgumentException) { return "the configured Redis"; }
    }

    static async Task<IHost> ConnectAsync(ParseResult p, CancellationToken ct)
    {
        var host = KvGridClient.Build(p.GetValue(RedisOption)!, p.GetValue(ClusterIdOption)!, tls: ClusterTlsFlags.From(p));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await host.StartAsync(timeout.Token);
            return host;
        }
        catch (Exception e) when (e is not KvGridException)
        {
            host.Dispose();
            throw new KvGridException($"cannot connect to the cluster through {RedactRedis(p.GetValue(RedisOption)!)}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
