using KvGrid.Contracts;
using KvGrid.Grid.Hosting;
using KvGrid.Results;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvGrid.Grid.Shards;

/// <summary>
/// Owns this silo's model shards (one worker per configured model and device, id "silo|device|model"): starts them
/// once the silo runs and stops them, handing back their leases, when it shuts down. A shard lives exactly as long as
/// its silo process; it is never a grain activation that the cluster could deactivate or move.
/// </summary>
public sealed class ShardSupervisor(
    GridSiloOptions options, IGrainFactory grains, IResultsStore store, IContextExecutorFactory executors, ILoggerFactory loggers) : IHostedService
{
    readonly List<ShardWorker> _workers = [];
    readonly ILogger _logger = loggers.CreateLogger<ShardSupervisor>();

    public static string KeyFor(string siloName, string device, string model) => $"{siloName}|{device}|{model}";

    /// <summary>What each shard of this silo is doing (for health checks and status).</summary>
    public IReadOnlyList<ShardStatus> Shards() => _workers.Select(w => w.Status()).ToList();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var shard in options.Shards)
        {
            var key = KeyFor(options.SiloName, shard.Device, shard.Model.Name);
            var worker = new ShardWorker(key, shard with { SiloName = options.SiloName }, grains, store, executors, options.SpecRoots, loggers.CreateLogger<ShardWorker>());
            _workers.Add(worker);
            worker.Start();
            _logger.LogInformation("shard {Key} started", key);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var worker in _workers)
        {
            try { await worker.StopAsync(); }
            catch (Exception e) { _logger.LogWarning("stopping shard {Shard}: {Error}", worker.ShardId, e.Message); }
        }
        _workers.Clear();
    }
}
