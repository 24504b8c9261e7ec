using KvGrid.Contracts;
using KvGrid.Grid.Coordination;
using KvGrid.Grid.Shards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;
using Orleans.Runtime;

namespace KvGrid.Grid.Hosting;

/// <summary>How a silo joins a cluster and what it hosts.</summary>
public sealed class GridSiloOptions
{
    /// <summary>Null: localhost clustering (embedded, single process). Otherwise a Redis connection string.</summary>
    public string? RedisConnection { get; set; }
    public string ClusterId { get; set; } = "kvgrid";
    public string ServiceId { get; set; } = "kvgrid";
    public string SiloName { get; set; } = "silo-" + Environment.MachineName;
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    /// <summary>Address other silos reach this one at (loopback unless configured).</summary>
    public System.Net.IPAddress AdvertisedAddress { get; set; } = System.Net.IPAddress.Loopback;
    public List<ShardConfig> Shards { get; set; } = [];
    /// <summary>Mutual TLS for silo and gateway connections; off when it names no certificate.</summary>
    public ClusterTls Tls { get; set; } = new();
    /// <summary>Folders a submitted spec may lead into (cluster silos); null in the embedded mode: local paths as given.</summary>
    public KvGrid.Sweeps.PathRoots? SpecRoots { get; set; }
}

public static class GridHosting
{
    /// <summary>Configures an Orleans silo for KvGrid: clustering, grain storage, coordinator options, shard supervisor.</summary>
    public static ISiloBuilder AddKvGrid(this ISiloBuilder silo, GridSiloOptions options, Action<CoordinatorOptions>? coordinator = null)
    {
        silo.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = options.ServiceId; });
        silo.Configure<SiloOptions>(o => o.SiloName = options.SiloName);
        if (options.RedisConnection is null)
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, null, options.ServiceId, options.ClusterId);
            silo.AddMemoryGrainStorage(GridStorage.Name);
        }
        else
        {
            silo.ConfigureEndpoints(options.AdvertisedAddress, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            silo.UseRedisClustering(options.RedisConnection);
            silo.AddRedisGrainStorage(GridStorage.Name, o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(options.RedisConnection));
            // Detect a killed silo quickly so its leases and coordinators move on.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
        }
        if (options.Tls.Enabled) silo.UseTls(options.Tls.Configure);
        silo.Services.AddOptions<CoordinatorOptions>();
        if (coordinator is not null) silo.Services.Configure(coordinator);
        silo.Services.AddSingleton(options);
        silo.Services.AddSingleton<ShardSupervisor>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<ShardSupervisor>());
        return silo;
    }
}
