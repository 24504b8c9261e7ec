using KvGrid.Engine.Caching;
using static TorchSharp.torch;

namespace KvGrid.Engine.Modeling;

/// <summary>
/// What a layer's queries attend over and where the layer's own keys and values go: the only part of a layer's
/// forward in which prefill, a decode step and a training forward differ.
/// </summary>
interface IAttentionSource
{
    /// <summary>Whether <see cref="Attended"/> wants the softmaxed attention weights (they cost memory, so only on demand).</summary>
    bool NeedsWeights { get; }

    /// <summary>
    /// The keys and values [B, Hkv, N, D] the layer's queries attend over and their boolean mask [B|1, 1, S, N], given
    /// the layer's own keys (after RoPE) and values [B, Hkv, S, D] for its S new tokens.
    /// </summary>
    (Tensor Keys, Tensor Values, Tensor Mask) Visible(int layer, Tensor keys, Tensor values);

    /// <summary>Called once the layer's attention ran: its queries, own keys and values, weights when needed, normed input.</summary>
    void Attended(int layer, Tensor queries, Tensor keys, Tensor values, Tensor? weights, Tensor normedInput);
}

/// <summary>A full forward (training, full-recompute checks): the sequence attends to its own keys under one mask; nothing is kept.</summary>
sealed class SequenceAttention(Tensor mask) : IAttentionSource
{
    public bool NeedsWeights => false;

    public (Tensor Keys, Tensor Values, Tensor Mask) Visible(int layer, Tensor keys, Tensor values) => (keys, values, mask);

    public void Attended(int layer, Tensor queries, Tensor keys, Tensor values, Tensor? weights, Tensor normedInput) { }
}

/// <summary>
/// Prefill of one context: causal attention over the context's own keys; each layer's keys and values become the
/// context cache, and the hook observes every layer.
/// </summary>
sealed class PrefillAttention : IAttentionSource
{
    readonly Tensor _causalMask;
    readonly IPrefillHook? _hook;
    readonly PrefillNeeds _needs;

    /// <summary>Per layer [1, Hkv, L, D], owned by the scope outside the prefill's once the layer ran.</summary>
    public Tensor[] Keys { get; }
    public Tensor[] Values { get; }

    public PrefillAttention(Tensor causalMask, int layers, IPrefillHook? hook)
    {
        _causalMask = causalMask;
        _hook = hook;
        _needs = hook?.Needs ?? PrefillNeeds.None;
        Keys = new Tensor[layers];
        Values = new Tensor[layers];
    }

    public bool NeedsWeights => (_needs & PrefillNeeds.AttentionWeights) != 0;

    public (Tensor Keys, Tensor Values, Tensor Mask) Visible(int layer, Tensor keys, Tensor values) => (keys, values, _causalMask);

    public void Attended(int layer, Tensor queries, Tensor keys, Tensor values, Tensor? weights, Tensor normedInput)
    {
        var queriesIfNeeded = (_needs & PrefillNeeds.Queries) != 0 ? queries : null;
        _hook?.OnLayer(new PrefillLayer(layer, keys, values, queriesIfNeeded, weights, normedInput));
        // The cache outlives the prefill's dispose scope; every other tensor of the layer goes with it.
        Keys[layer] = keys.MoveToOuterDisposeScope();
        Values[layer] = values.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A decode step of S tokens: their keys and values are written into the decode state first, so the queries attend
/// over the visible cache (context, earlier tail, the step itself) under the state's step mask.
/// </summary>
sealed class DecodeStepAttention(DecodeState state, long stepLength) : IAttentionSource
{
    public bool NeedsWeights => false;

    public (Tensor Keys, Tensor Values, Tensor Mask) Visible(int layer, Tensor keys, Tensor values)
    {
        state.Write(layer, keys, values);
        var (cachedKeys, cachedValues) = state.Visible(layer, stepLength);
        return (cachedKeys, cachedValues, state.StepMask(layer, stepLength));
    }

    public void Attended(int layer, Tensor queries, Tensor keys, Tensor values, Tensor? weights, Tensor normedInput) { }
}
