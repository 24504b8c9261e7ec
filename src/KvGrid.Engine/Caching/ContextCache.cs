using static TorchSharp.torch;

namespace KvGrid.Engine.Caching;

/// <summary>
/// The KV cache of a prefilled context, possibly pruned. Immutable, so one compressed context serves any number
/// of continuations (each continuation works on a <see cref="DecodeState"/> built from it).
/// Keys are stored after RoPE, so a kept entry keeps its original position; <see cref="ContextLength"/> (the
/// position of the next token) is therefore kept apart from the number of cached entries, which may be smaller.
/// </summary>
public sealed class ContextCache : IDisposable
{
    readonly Tensor[] _keys, _values; // per layer [1, Hkv, N_l, D]

    public int NumLayers => _keys.Length;
    /// <summary>Tokens in the context (positions 0..ContextLength-1); the next token takes this position.</summary>
    public int ContextLength { get; }
    /// <summary>Next-token logits after the last context token (float32, [V]); null after pruning is irrelevant: kept.</summary>
    public Tensor? LastLogits { get; }

    public ContextCache(Tensor[] keys, Tensor[] values, int contextLength, Tensor? lastLogits)
    {
        if (keys.Length != values.Length) throw new ArgumentException("keys and values must have one entry per layer");
        _keys = keys; _values = values; ContextLength = contextLength; LastLogits = lastLogits;
    }

    public Tensor Keys(int layer) => _keys[layer];
    public Tensor Values(int layer) => _values[layer];
    /// <summary>Cached entries per KV head in a layer (equal across heads; may differ across layers, e.g. PyramidKV).</summary>
    public int CachedLength(int layer) => (int)_keys[layer].shape[2];

    /// <summary>Bytes held by keys and values (what compression saves).</summary>
    public long Bytes => _keys.Sum(k => k.NumberOfElements * k.ElementSize) + _values.Sum(v => v.NumberOfElements * v.ElementSize);

    /// <summary>
    /// A pruned copy keeping, per layer and KV head, the given positions (kept[l]: [Hkv, n_l] or [1, Hkv, n_l], int64).
    /// A null entry keeps the layer whole. Positions are sorted so that kept entries stay in context order.
    /// </summary>
    public ContextCache Select(IReadOnlyList<Tensor?> kept)
    {
        if (kept.Count != NumLayers) throw new ArgumentException($"expected kept positions for {NumLayers} layers, got {kept.Count}");
        var keys = new Tensor[NumLayers];
        var values = new Tensor[NumLayers];
        for (int l = 0; l < NumLayers; l++)
        {
            if (kept[l] is null) { keys[l] = _keys[l].alias(); values[l] = _values[l].alias(); continue; }
            using var scope = NewDisposeScope();
            var idx = kept[l]!.to(ScalarType.Int64, _keys[l].device);
            if (idx.dim() == 2) idx = idx.unsqueeze(0);
            if (idx.shape[1] != _keys[l].shape[1]) throw new ArgumentException($"layer {l}: kept positions for {idx.shape[1]} heads, cache has {_keys[l].shape[1]}");
            idx = idx.sort(-1).Values;
            var gatherIdx = idx.unsqueeze(-1).expand(idx.shape[0], idx.shape[1], idx.shape[2], _keys[l].shape[3]);
            keys[l] = _keys[l].gather(2, gatherIdx).MoveToOuterDisposeScope();
            values[l] = _values[l].gather(2, gatherIdx).MoveToOuterDisposeScope();
        }
        return new ContextCache(keys, values, ContextLength, LastLogits?.alias());
    }

    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
        LastLogits?.Dispose();
    }
}
