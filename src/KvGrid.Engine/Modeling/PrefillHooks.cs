using static TorchSharp.torch;

namespace KvGrid.Engine.Modeling;

/// <summary>What a prefill observer needs besides keys and values (each costs memory, so it is computed only on demand).</summary>
[Flags]
public enum PrefillNeeds
{
    None = 0,
    /// <summary>Query states after RoPE, [1, Hq, L, D].</summary>
    Queries = 1,
    /// <summary>Softmaxed attention weights of the layer (eager attention), [1, Hq, L, L].</summary>
    AttentionWeights = 2,
}

/// <summary>One layer's state right after its attention ran during prefill. Tensors are valid only during the call.</summary>
public sealed record PrefillLayer(int Layer, Tensor Keys, Tensor Values, Tensor? Queries, Tensor? AttentionWeights, Tensor HiddenStates);

/// <summary>
/// Observes each layer during prefill and may prune its cache. Later layers' prefill is unaffected by pruning
/// (presses prune the cache, not the prefill); only decoding sees the pruned cache.
/// </summary>
public interface IPrefillHook
{
    PrefillNeeds Needs { get; }

    /// <summary>Returns the positions to keep per KV head ([1, Hkv, n] int64), or null to keep the layer whole.</summary>
    Tensor? OnLayer(PrefillLayer layer);
}
