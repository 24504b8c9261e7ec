using Microsoft.Extensions.Logging;
using KvGrid.Results;

namespace KvGrid.Grid.Coordination;

[GenerateSerializer]
public sealed class RegistryState
{
    [Id(0)] public Dictionary<string, SweepInfo> Sweeps { get; set; } = new();
}

/// <summary>The cluster's sweep list (key 0): submit, list, and which sweeps shards should pull work from.</summary>
public sealed class SweepRegistryGrain(
    [PersistentState("registry", GridStorage.Name)] IPersistentState<RegistryState> state,
    IResultsStore store,
    ILogger<SweepRegistryGrain> logger) : Grain, ISweepRegistryGrain
{
    public async Task<SweepInfo> Submit(string sweepId, string specYaml, string specName, string baseDir)
    {
        var info = state.State.Sweeps.TryGetValue(sweepId, out var existing) && existing.State == SweepState.Running
            ? existing
            : new SweepInfo(sweepId, specName, SweepState.Running, existing?.SubmittedAt ?? DateTimeOffset.UtcNow);
        state.State.Sweeps[sweepId] = info;
        await state.WriteStateAsync();
        await store.RecordSweepAsync(info, specYaml, CancellationToken.None);
        await GrainFactory.GetGrain<ISweepCoordinatorGrain>(sweepId).Start(specYaml, specName, baseDir);
        logger.LogInformation("sweep {Id} ({Name}) submitted", sweepId, specName);
        return info;
    }

    public Task<IReadOnlyList<SweepInfo>> List() =>
        Task.FromResult<IReadOnlyList<SweepInfo>>(state.State.Sweeps.Values.OrderBy(s => s.SubmittedAt).ToList());

    public Task<IReadOnlyList<string>> ActiveSweepIds() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.Sweeps.Values.Where(s => s.State == SweepState.Running).OrderBy(s => s.SubmittedAt).Select(s => s.SweepId).ToList());

    public async Task MarkFinished(string sweepId, SweepState finalState)
    {
        if (!state.State.Sweeps.TryGetValue(sweepId, out var info) || info.State == finalState) return;
        state.State.Sweeps[sweepId] = info with { State = finalState };
        await state.WriteStateAsync();
    }
}
