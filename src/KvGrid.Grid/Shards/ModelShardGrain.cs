using KvGrid.Results;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Orleans.Runtime;

namespace KvGrid.Grid.Shards;

/// <summary>
/// A model shard: key "silo|device|model". Activated by its own silo's supervisor (local placement) and it
/// refuses to activate anywhere else, so it never migrates: a lost silo's shards are simply gone, and their
/// unfinished leases expire at the coordinator and are handed to other shards.
/// </summary>
[PreferLocalPlacement]
public sealed class ModelShardGrain(
    ILocalSiloDetails silo,
    IResultsStore store,
    IContextExecutorFactory executors,
    ILoggerFactory loggers) : Grain, IModelShardGrain
{
    ShardWorker? _worker;

    public static string KeyFor(string siloName, string device, string model) => $"{siloName}|{device}|{model}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var owner = this.GetPrimaryKeyString().Split('|')[0];
        if (owner != silo.Name)
            throw new InvalidOperationException($"model shard {this.GetPrimaryKeyString()} belongs to silo {owner}, not {silo.Name}");
        // Keep the shard alive while it works: it is a worker, not an idle cache entry.
        this.RegisterGrainTimer(_ => Task.CompletedTask, new GrainTimerCreationOptions(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task Start(ShardConfig config)
    {
        if (_worker is { Running: true }) return Task.CompletedTask;
        _worker = new ShardWorker(this.GetPrimaryKeyString(), config, GrainFactory, store, executors, loggers.CreateLogger<ShardWorker>());
        _worker.Start();
        return Task.CompletedTask;
    }

    public async Task Stop()
    {
        if (_worker is not null) await _worker.StopAsync();
    }

    public Task<ShardStatus> GetStatus() => Task.FromResult(_worker?.Status(this.GetPrimaryKeyString())
        ?? new ShardStatus(this.GetPrimaryKeyString(), false, false, 0, 0, 0, null, null));

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_worker is not null) await _worker.StopAsync();
    }
}
