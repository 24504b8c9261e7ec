using KvGrid.Contracts;
using System.Net;
using KvGrid.Trials;
using KvGrid.Grid;
using KvGrid.Grid.Coordination;
using KvGrid.Grid.Hosting;
using Orleans.Connections.Security;
using KvGrid.Results;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvGrid.Hosting;

/// <summary>Configures a host to run a KvGrid silo: Orleans, the results store, the torch executor.</summary>
public static class KvGridSilo
{
    public static IHostApplicationBuilder AddKvGridSilo(this IHostApplicationBuilder builder, SiloSettings settings)
    {
        var options = new GridSiloOptions
        {
            RedisConnection = string.IsNullOrWhiteSpace(settings.Redis) ? null : settings.Redis,
            ClusterId = settings.ClusterId,
            ServiceId = settings.ServiceId,
            SiloName = settings.SiloName,
            SiloPort = settings.SiloPort,
            GatewayPort = settings.GatewayPort,
            AdvertisedAddress = IPAddress.Parse(settings.AdvertisedAddress),
            Shards = settings.Shards.Select(s => s.ToConfig(settings.SiloName)).ToList(),
            SpecRoots = settings.SpecRoots(),
            Tls = settings.Tls,
        };
        builder.Services.AddSingleton(settings);
        // Opening is cheap and synchronous; the schema is created by a hosted service that starts before the silo,
        // never by blocking a grain thread on I/O.
        builder.Services.AddSingleton<IResultsStore>(_ => ResultsStore.Open(settings.Results));
        builder.Services.AddHostedService<ResultsSchemaInitializer>();
        builder.Services.AddSingleton<IContextExecutorFactory>(new TorchContextExecutorFactory(settings.SiloName, settings.TorchThreads));
        builder.UseOrleans(silo => silo.AddKvGrid(options, c =>
        {
            c.LeaseDuration = settings.LeaseDuration;
            c.MaxAttempts = settings.MaxAttempts;
        }));
        return builder;
    }

    /// <summary>Two free loopback ports (silo, gateway) for an embedded silo, so several runs can coexist.</summary>
    public static (int Silo, int Gateway) FreePorts()
    {
        using var a = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        using var b = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        a.Start(); b.Start();
        return (((IPEndPoint)a.LocalEndpoint).Port, ((IPEndPoint)b.LocalEndpoint).Port);
    }
}

/// <summary>Connects a client (the CLI) to a cluster.</summary>
public static class KvGridClient
{
    public static IHost Build(string redis, string clusterId = "kvgrid", string serviceId = "kvgrid", ClusterTls? tls = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A gateway that goes away is the client's everyday business (it moves to another): no warnings with stack traces.
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleansClient(client =>
        {
            client.Configure<Orleans.Configuration.ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = serviceId; });
            client.UseRedisClustering(redis);
            if (tls is { Enabled: true }) client.UseTls(tls.Configure);
        });
        return builder.Build();
    }
}

/// <summary>Creates or migrates the results schema before the silo starts taking work.</summary>
internal sealed class ResultsSchemaInitializer(IResultsStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureSchemaAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
