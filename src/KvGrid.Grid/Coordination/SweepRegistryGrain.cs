using KvGrid.Contracts;
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
    public async Task<SweepSubmission> Submit(string sweepId, string specYaml, string specSource, string baseDir)
    {
        // The coordinator validates the spec first: a refused spec leaves no trace in the registry or the store.
        var coordinator = GrainFactory.GetGrain<ISweepCoordinatorGrain>(sweepId);
        var refused = await coordinator.Start(specYaml, specSource, baseDir);
        if (refused is not null)
        {
            logger.LogWarning("sweep {Id} ({Source}) refused: {Error}", sweepId, specSource, refused);
            return new SweepSubmission(null, refused);
        }
        // A sweep whose trials were all stored already finished inside Start, before it was listed here.
        var started = await coordinator.GetProgress();
        var info = state.State.Sweeps.TryGetValue(sweepId, out var existing) && existing.State == SweepState.Running
            ? existing
            : new SweepInfo(sweepId, started.Name, SweepState.Running, existing?.SubmittedAt ?? DateTimeOffset.UtcNow);
        if (started.State != SweepState.Running) info = info with { State = started.State };
        state.State.Sweeps[sweepId] = info;
        await state.WriteStateAsync();
        await store.RecordSweepAsync(info, specYaml, CancellationToken.None);
        logger.LogInformation("sweep {Id} ({Name}) submitted", sweepId, info.Name);
        return new SweepSubmission(info, null);
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
