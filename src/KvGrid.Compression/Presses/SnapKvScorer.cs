using KvGrid.Engine.Modeling;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace KvGrid.Compression;

/// <summary>
/// SnapKV (kvpress SnapKVPress as the fork runs it): the last window_size queries' attention to each earlier key,
/// averaged over the window, smoothed by 1-D average pooling (kernel_size, zero padding kernel_size // 2, padding
/// counted), averaged over the query heads of each KV group; the window itself gets the layer's maximum score (one
/// scalar over all heads). Computed in the model dtype. The span-local variant is the fork's
/// SnapKVFairEvictionPress generalised to N spans (see <see cref="ScoreSpanLocal"/>).
/// </summary>
public class SnapKvScorer : ISpanLocalScorer
{
    public SnapKvScorer(PressParameters parameters)
    {
        if (parameters.WindowSize < 1) throw new CompressionException($"{Name}: window_size must be >= 1 (got {parameters.WindowSize})");
        if (parameters.KernelSize < 1 || parameters.KernelSize % 2 == 0) throw new CompressionException($"{Name}: kernel_size must be odd and >= 1 (got {parameters.KernelSize})");
        Parameters = parameters;
    }

    public virtual string Name => "snapkv";
    public PressParameters Parameters { get; }
    public PrefillNeeds Needs => PrefillNeeds.Queries;
    public PrefillNeeds SpanLocalNeeds => PrefillNeeds.Queries;

    public Tensor Score(PressInput input)
    {
        int l = input.ContextLength, w = Parameters.WindowSize;
        if (l <= w) throw new CompressionException($"{Name}: the context ({l} tokens) must be longer than window_size={w}");
        using var scope = NewDisposeScope();
        var observed = VoteOnKeys(input, l - w, l, 0, l - w); // [Hkv, L - w]
        var windowScore = observed.max().expand(input.KvHeads, w);
        return cat([observed, windowScore], 1).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The window_size budget is split across spans in order: span i gets min((W - used) / (N - i), owned length)
    /// (for two spans the fork's W_e = min(W // 2, len_e), W_l = min(W - W_e, len_l)). Each span's window is the
    /// last tokens of its owned range and votes on the keys of its range before the window (attention rows over the
    /// whole prefix, sliced, then SnapKV pooling and group mean); the window gets the span's per-head maximum (1.0
    /// when the span has no keys before its window).
    /// </summary>
    public Tensor ScoreSpanLocal(PressInput input, SpanLayout layout)
    {
        using var scope = NewDisposeScope();
        int l = input.ContextLength, n = layout.Owned.Count, used = 0;
        var scores = zeros([input.KvHeads, l], input.Keys.dtype, input.Keys.device);
        for (int i = 0; i < n; i++)
        {
            var (start, end) = layout.Owned[i];
            int window = Math.Min((Parameters.WindowSize - used) / (n - i), end - start);
            used += window;
            int windowStart = end - window;
            Tensor? voted = null;
            if (windowStart > start && window > 0)
            {
                voted = VoteOnKeys(input, windowStart, end, start, windowStart);
                scores[.., TensorIndex.Slice(start, windowStart)] = voted;
            }
            if (window > 0)
            {
                var keep = voted is null ? ones([input.KvHeads, 1], scores.dtype, scores.device) : voted.amax([-1L], keepdim: true);
                scores[.., TensorIndex.Slice(windowStart, end)] = keep.expand(input.KvHeads, window);
            }
        }
        return scores.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Queries [qStart, qEnd) voting on keys [kStart, kEnd): mean over queries, pooling, group mean -> [Hkv, kEnd - kStart].</summary>
    Tensor VoteOnKeys(PressInput input, int qStart, int qEnd, int kStart, int kEnd)
    {
        var rows = WindowAttention.Rows(input, qStart, qEnd).narrow(2, kStart, kEnd - kStart); // [Hq, W, K]
        var perHead = rows.mean([1L]); // [Hq, K]
        int k = Parameters.KernelSize;
        var pooled = F.avg_pool1d(perHead.unsqueeze(0), k, 1, k / 2)[0];
        long hq = pooled.shape[0], hkv = input.KvHeads;
        return pooled.view(hkv, hq / hkv, kEnd - kStart).mean([1L]);
    }
}

/// <summary>
/// PyramidKV (kvpress PyramidKVPress): SnapKV scores with layer-dependent budgets around the same mean: lower
/// layers keep more (window_size and beta shape the pyramid; falls back to SnapKV's round(L * (1 - ratio))).
/// </summary>
public sealed class PyramidKvScorer : SnapKvScorer, ILayerBudget
{
    public PyramidKvScorer(PressParameters parameters) : base(parameters)
    {
        if (parameters.Beta < 1) throw new CompressionException($"pyramidkv: beta must be >= 1 (got {parameters.Beta})");
    }

    public override string Name => "pyramidkv";

    public int KeptCount(int layer, int numLayers, int contextLength, double ratio)
    {
        // Same float arithmetic as kvpress's get_layer_budget; Python's round is banker's rounding, as Math.Round.
        double w = Parameters.WindowSize, qLen = contextLength;
        double maxCapacity = w + qLen * (1 - ratio);
        double minNum = (maxCapacity - w) / Parameters.Beta;
        double maxNum = (maxCapacity - w) * 2 - minNum;
        if (maxNum >= qLen - w)
        {
            maxNum = qLen - w;
            minNum = (maxCapacity - w) * 2 - maxNum;
        }
        if (!(qLen >= maxNum && maxNum >= minNum && minNum >= w))
            return (int)Math.Round(qLen * (1 - ratio), MidpointRounding.ToEven);
        double steps = (maxNum - minNum) / (numLayers - 1);
        return (int)Math.Round(maxNum - layer * steps, MidpointRounding.ToEven);
    }
}
