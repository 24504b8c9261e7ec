using System.CommandLine;
using KvGrid.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvGrid.Cli.Commands;

/// <summary>`kvgrid silo`: run a cluster silo from the CLI (the same host as silos/KvGrid.Silo, configured by flags).</summary>
public static class SiloCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "silo name (unique in the cluster)", Required = true };
        var redis = new Option<string>("--redis") { Description = "membership and grain-state store", DefaultValueFactory = _ => "127.0.0.1:6379" };
        var results = new Option<string>("--results") { Description = "results store: a PostgreSQL connection string (or sqlite:PATH for one silo)", Required = true };
        var siloPort = new Option<int>("--silo-port") { DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { DefaultValueFactory = _ => 30000 };
        var metricsPort = new Option<int>("--metrics-port") { Description = "serve /metrics and /health (0: off)" };
        var models = new Option<string[]>("--model") { Description = "NAME[=PATH][@DEVICE]: a model this silo serves (repeatable)", AllowMultipleArgumentsPerToken = false };
        var lease = new Option<double>("--lease-seconds") { DefaultValueFactory = _ => 30 };
        var cluster = new Option<string>("--cluster-id") { DefaultValueFactory = _ => "kvgrid" };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0: one per core)" };
        var modelRoots = new Option<string[]>("--model-root") { Description = "a folder submitted specs' model paths may lead into (repeatable; default: only --model paths)" };
        var dataRoots = new Option<string[]>("--data-root") { Description = "a folder submitted specs' data paths may lead into (repeatable; the data cache always is one)" };
        var cmd = new Command("silo", "Run a cluster silo (Redis membership, shared results store)") { name, redis, results, siloPort, gatewayPort, metricsPort, models, lease, cluster, threads, modelRoots, dataRoots };
        foreach (var option in ClusterTlsFlags.All) cmd.Add(option);
        cmd.SetRunAsync(async (p, ct) =>
        {
            var settings = new SiloSettings
            {
                SiloName = p.GetValue(name)!,
                Redis = p.GetValue(redis),
                Results = p.GetValue(results)!,
                ClusterId = p.GetValue(cluster)!,
                SiloPort = p.GetValue(siloPort),
                GatewayPort = p.GetValue(gatewayPort),
                MetricsPort = p.GetValue(metricsPort),
                LeaseDuration = TimeSpan.FromSeconds(p.GetValue(lease)),
                TorchThreads = p.GetValue(threads),
                Shards = (p.GetValue(models) ?? []).Select(ParseModel).ToList(),
                ModelRoots = string.Join(':', p.GetValue(modelRoots) ?? []),
                DataRoots = string.Join(':', p.GetValue(dataRoots) ?? []),
                Tls = ClusterTlsFlags.From(p),
            };
            using var host = KvGridProcess.BuildSilo(settings, logging => logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
                .AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning)
                // Activations Orleans deactivates when a dead silo held their directory entry: worth an operator's eye.
                .AddFilter("Orleans.Runtime.GrainDirectory.LocalGrainDirectory", LogLevel.Information));
            await host.RunAsync(ct);
            return 0;
        });
        return cmd;
    }

    static ShardSettings ParseModel(string spec)
    {
        var device = "cpu";
        var at = spec.LastIndexOf('@');
        if (at > 0) { device = spec[(at + 1)..]; spec = spec[..at]; }
        var eq = spec.IndexOf('=');
        return eq > 0
            ? new ShardSettings { Model = spec[..eq], Path = spec[(eq + 1)..], Device = device }
            : new ShardSettings { Model = spec, Device = device };
    }
}
