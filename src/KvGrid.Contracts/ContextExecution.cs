namespace KvGrid.Contracts;

/// <summary>What one context's execution produced: a result per trial, and how many prefills it took (1).</summary>
public sealed record ContextOutcome(IReadOnlyList<TrialResult> Results, int Prefills);

/// <summary>
/// Runs contexts on one loaded model (implemented by the benchmarks layer on the engine; the grid only sees
/// records). Results of each ratio are handed to <paramref name="onResults"/> as soon as they exist, so a
/// crash loses at most the ratio in flight.
/// </summary>
public interface IContextExecutor : IDisposable
{
    ContextOutcome Execute(ContextWork work, IReadOnlySet<string> skipTrialIds, Action<IReadOnlyList<TrialResult>> onResults, CancellationToken cancellationToken);

    /// <summary>Bytes of the loaded model's weights.</summary>
    long ModelBytes { get; }
}

/// <summary>Loads models for shards (once per shard).</summary>
public interface IContextExecutorFactory
{
    IContextExecutor Create(ModelRef model, string device);
}
