using static TorchSharp.torch;

namespace KvGrid.Compression;

/// <summary>
/// Attention rows of a few query positions over all L keys, [Hq, rows, L] in the model dtype (causal softmax over
/// the whole prefix, computed in float32 then cast, as HF eager). Sliced from the engine's attention weights when
/// present, otherwise recomputed from queries and keys like kvpress's SnapKVPress.compute_window_attention
/// (which is what the paper's non-eager runs used), so presses need only the cheap query states.
/// </summary>
public static class WindowAttention
{
    public static Tensor Rows(PressInput input, int queryStart, int queryEnd)
    {
        int rows = queryEnd - queryStart;
        if (input.AttentionWeights is { } w)
            return w[0].narrow(1, queryStart, rows);
        var q = input.Queries ?? throw new InvalidOperationException("attention rows need queries or attention weights");
        var keys = input.Keys[0]; // [Hkv, L, D]
        long hq = q.shape[1], hkv = keys.shape[0], l = keys.shape[1], d = keys.shape[2];
        var qw = q[0].narrow(1, queryStart, rows); // [Hq, rows, D]
        var k = keys.repeat_interleave(hq / hkv, dim: 0); // repeat_kv: query head h reads kv head h / groups
        var scores = matmul(qw, k.transpose(1, 2)) / Math.Sqrt(d);
        var qpos = arange(queryStart, queryEnd, device: q.device).unsqueeze(1);
        var kpos = arange(0, l, device: q.device).unsqueeze(0);
        scores = scores.masked_fill((kpos > qpos).unsqueeze(0), float.NegativeInfinity);
        return scores.softmax(-1, ScalarType.Float32).to(q.dtype);
    }
}
