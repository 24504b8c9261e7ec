using KvGrid.Engine.Modeling;
using static TorchSharp.torch;

namespace KvGrid.Compression;

/// <summary>
/// What a press sees of one layer after its attention ran during prefill: keys [1, Hkv, L, D] after RoPE, and, when
/// the press asked for them (<see cref="IPressScorer.Needs"/>), queries [1, Hq, L, D] after RoPE and softmaxed
/// attention weights [1, Hq, L, L]. Tensors are only valid during the call.
/// </summary>
public sealed record PressInput(int Layer, int NumLayers, Tensor Keys, Tensor? Queries, Tensor? AttentionWeights)
{
    public int ContextLength => (int)Keys.shape[2];
    public int KvHeads => (int)Keys.shape[1];

    public static PressInput From(PrefillLayer layer, int numLayers) =>
        new(layer.Layer, numLayers, layer.Keys, layer.Queries, layer.AttentionWeights);
}

/// <summary>
/// A press: scores a layer's cached entries per KV head (higher = keep). Scores never depend on the compression
/// ratio, so one prefill serves every ratio of a sweep; selection (top-k, whitelist, fair quotas) lives outside.
/// </summary>
public interface IPressScorer
{
    /// <summary>Canonical registry name, e.g. "snapkv".</summary>
    string Name { get; }
    PressParameters Parameters { get; }
    /// <summary>What the engine must compute for <see cref="Score"/> (attention weights cost L x L memory).</summary>
    PrefillNeeds Needs { get; }
    /// <summary>Scores [Hkv, L] float32 on the keys' device.</summary>
    Tensor Score(PressInput input);
}

/// <summary>
/// A press with a span-local variant for fair eviction (the paper's fair presses): each span's own last tokens
/// vote only on that span's keys.
/// </summary>
public interface ISpanLocalScorer : IPressScorer
{
    PrefillNeeds SpanLocalNeeds { get; }
    /// <summary>Scores [Hkv, L] float32 where each owned range is scored by its own observation window.</summary>
    Tensor ScoreSpanLocal(PressInput input, SpanLayout layout);
    /// <summary>
    /// True when the paper's fair variant ranks the span-local scores globally instead of by per-span quotas
    /// (the fork's StreamingLLM fair press keeps the plain top-k over its per-span ramps).
    /// </summary>
    bool SpanLocalSelectsGlobally => false;
}

/// <summary>A press whose kept count varies per layer (PyramidKV).</summary>
public interface ILayerBudget
{
    int KeptCount(int layer, int numLayers, int contextLength, double ratio);
}
