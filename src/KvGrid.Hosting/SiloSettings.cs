using KvGrid.Contracts;
using KvGrid.Grid;

namespace KvGrid.Hosting;

/// <summary>
/// A silo's configuration (section "KvGrid" of appsettings.json, or environment variables KvGrid__Name=...).
/// Defaults suit an embedded single-process run.
/// </summary>
public sealed class SiloSettings
{
    public string ClusterId { get; set; } = "kvgrid";
    public string ServiceId { get; set; } = "kvgrid";
    public string SiloName { get; set; } = "silo-" + Environment.MachineName;
    /// <summary>Redis connection for membership and grain state; empty means localhost clustering (embedded).</summary>
    public string? Redis { get; set; }
    /// <summary>Results store: "sqlite:PATH" (embedded) or a PostgreSQL connection string (cluster).</summary>
    public string Results { get; set; } = "sqlite:results/kvgrid.db";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    /// <summary>Address advertised to other silos; loopback unless configured (e.g. the pod IP in Kubernetes).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
    /// <summary>HTTP port for /metrics and /health; 0 disables the endpoint.</summary>
    public int MetricsPort { get; set; }
    /// <summary>Address the HTTP endpoint binds to (loopback unless configured).</summary>
    public string MetricsAddress { get; set; } = "127.0.0.1";
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxAttempts { get; set; } = 3;
    /// <summary>libtorch CPU threads for this process (0: libtorch's default, one per core).</summary>
    public int TorchThreads { get; set; }
    public List<ShardSettings> Shards { get; set; } = [];
    /// <summary>Mutual TLS between silos and for client gateways (KvGrid__Tls__Certificate, __Key, __Authority, __Password).</summary>
    public KvGrid.Grid.Hosting.ClusterTls Tls { get; set; } = new();
    /// <summary>
    /// Cluster silos: folders a submitted spec's model paths may lead into, ':'-separated (KvGrid__ModelRoots). Empty:
    /// only the model folders configured on the silo (Shards[i].Path) are read.
    /// </summary>
    public string ModelRoots { get; set; } = "";
    /// <summary>Cluster silos: folders a spec's data paths may lead into, ':'-separated; the data cache always is one.</summary>
    public string DataRoots { get; set; } = "";

    /// <summary>The spec roots of a cluster silo; null for the embedded mode, which reads local paths as given.</summary>
    public KvGrid.Sweeps.PathRoots? SpecRoots() => string.IsNullOrWhiteSpace(Redis)
        ? null
        : KvGrid.Sweeps.PathRoots.Create(Split(ModelRoots), Split(DataRoots), KvGrid.Benchmarks.Fetching.DataCache.DefaultRoot());

    static string[] Split(string roots) => roots.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A model this silo serves on a device.</summary>
public sealed class ShardSettings
{
    public string Model { get; set; } = "";
    /// <summary>Optional: the model folder on this silo (default: the path the sweep spec gives).</summary>
    public string? Path { get; set; }
    public string Device { get; set; } = "cpu";
    public string? DType { get; set; }

    public ShardConfig ToConfig(string silo) => new(silo, Device, new ModelRef(Model, Path ?? "", DType ?? "", Device), 1);
}
