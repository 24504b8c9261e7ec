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
/// Observes each layer during prefill; it does not prune. Presses prune the cache after prefill
/// (<c>context.Select(kept)</c>), so later layers' prefill is unaffected; only decoding sees the pruned cache.
/// </summary>
public interface IPrefillHook
{
    PrefillNeeds Needs { get; }

    /// <summary>Sees one layer's state right after its attention ran.</summary>
    void OnLayer(PrefillLayer layer);
}
