using static TorchSharp.torch;

namespace KvGrid.Engine.Caching;

/// <summary>
/// Mutable per-batch cache for continuations on top of a <see cref="ContextCache"/>: per layer one buffer
/// [B, Hkv, N_l + capacity, D] that starts with the (shared) context entries, followed by the tokens fed since.
/// Rows may hold padding (left-padded user turns): padded tail entries are masked out; every row keeps its own
/// next position. <see cref="Truncate"/> restores the state to a saved tail length.
/// </summary>
public sealed class DecodeState : IDisposable
{
    readonly Tensor[] _keys, _values;
    readonly int[] _contextLengths; // N_l per layer
    readonly Tensor _tailValid;     // [B, capacity] bool
    public int BatchSize { get; }
    public int Capacity { get; }
    /// <summary>Tokens fed since the context (including padding), the same for every row.</summary>
    public int TailLength { get; private set; }
    /// <summary>Position of each row's next token.</summary>
    public long[] NextPositions { get; }

    public DecodeState(ContextCache context, int batchSize, int capacity)
    {
        BatchSize = batchSize;
        Capacity = capacity;
        int layers = context.NumLayers;
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        _contextLengths = new int[layers];
        for (int l = 0; l < layers; l++)
        {
            var k = context.Keys(l);
            int n = (int)k.shape[2];
            _contextLengths[l] = n;
            var shape = new[] { batchSize, k.shape[1], n + capacity, k.shape[3] };
            _keys[l] = zeros(shape, k.dtype, k.device);
            _values[l] = zeros(shape, k.dtype, k.device);
            if (n > 0)
            {
                using var kk = _keys[l].narrow(2, 0, n);
                kk.copy_(k.expand(batchSize, -1, -1, -1));
                using var vv = _values[l].narrow(2, 0, n);
                vv.copy_(context.Values(l).expand(batchSize, -1, -1, -1));
            }
        }
        _tailValid = zeros([batchSize, capacity], ScalarType.Bool, context.Keys(0).device);
        NextPositions = Enumerable.Repeat((long)context.ContextLength, batchSize).ToArray();
    }

    public Device Device => _keys[0].device;

    /// <summary>Writes a step's keys and values ([B, Hkv, S, D]) for a layer at the current tail end.</summary>
    internal void Write(int layer, Tensor keys, Tensor values)
    {
        long s = keys.shape[2];
        if (TailLength + s > Capacity) throw new InvalidOperationException($"decode state capacity {Capacity} exceeded");
        using var k = _keys[layer].narrow(2, _contextLengths[layer] + TailLength, s);
        k.copy_(keys);
        using var v = _values[layer].narrow(2, _contextLengths[layer] + TailLength, s);
        v.copy_(values);
    }

    /// <summary>Keys and values visible to a step of length s (context plus tail including the step).</summary>
    internal (Tensor Keys, Tensor Values) Visible(int layer, long s)
    {
        long n = _contextLengths[layer] + TailLength + s;
        return (_keys[layer].narrow(2, 0, n), _values[layer].narrow(2, 0, n));
    }

    /// <summary>
    /// Additive-free boolean mask [B, 1, S, N_l + T + S] for a step of length s whose per-row validity is
    /// given: context entries are always visible; tail entries when valid and not in the future.
    /// </summary>
    internal Tensor StepMask(int layer, long s)
    {
        using var scope = NewDisposeScope();
        long t = TailLength + s;
        var tail = _tailValid.narrow(1, 0, t).unsqueeze(1).expand(BatchSize, s, t); // [B,S,T+S]
        var q = arange(TailLength, TailLength + s, device: Device).unsqueeze(-1);   // query tail index
        var kIdx = arange(0, t, device: Device).unsqueeze(0);
        var causal = kIdx <= q;                                                    // [S,T+S]
        var visible = tail.logical_and(causal.unsqueeze(0));
        var ctx = ones([BatchSize, s, _contextLengths[layer]], ScalarType.Bool, Device);
        return cat([ctx, visible], -1).unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Marks which of the next s tail entries are real tokens ([B, S] bool); call before the step's forward.</summary>
    internal void MarkValid(Tensor valid)
    {
        long s = valid.shape[1];
        using var slot = _tailValid.narrow(1, TailLength, s);
        slot.copy_(valid);
    }

    internal void Advance(long s) => TailLength += (int)s;

    /// <summary>Restores the state to an earlier tail length (e.g. 0: the bare context).</summary>
    public void Truncate(int tailLength, long[] nextPositions)
    {
        if (tailLength < 0 || tailLength > TailLength) throw new ArgumentOutOfRangeException(nameof(tailLength));
        using (var slot = _tailValid.narrow(1, tailLength, Capacity - tailLength)) slot.fill_(false);
        TailLength = tailLength;
        nextPositions.CopyTo(NextPositions, 0);
    }

    public long Bytes => _keys.Sum(k => k.NumberOfElements * k.ElementSize) * 2;

    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
        _tailValid.Dispose();
    }
}
