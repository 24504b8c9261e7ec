using KvGrid.Engine.Modeling;
using static TorchSharp.torch;

namespace KvGrid.Compression;

/// <summary>
/// TOVA (kvpress TOVAPress): the last token's attention to each earlier key averaged over ALL query heads, the same
/// vector for every KV head; the last token gets the maximum. The span-local variant is the fork's
/// TOVAFairEvictionPress for N spans: each owned range's last token is its anchor and votes on the range's earlier
/// keys; the anchor gets the span's maximum (1.0 when it has no earlier keys).
/// </summary>
public sealed class TovaScorer(PressParameters parameters) : ISpanLocalScorer
{
    public string Name => "tova";
    public PressParameters Parameters { get; } = parameters;
    public PrefillNeeds Needs => PrefillNeeds.Queries;
    public PrefillNeeds SpanLocalNeeds => PrefillNeeds.Queries;

    public Tensor Score(PressInput input)
    {
        int l = input.ContextLength;
        if (l < 2) throw new CompressionException("tova: the context must have at least 2 tokens");
        using var scope = NewDisposeScope();
        var voted = Vote(input, l - 1, 0, l - 1);
        return cat([voted, voted.max().expand(input.KvHeads, 1)], 1).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public Tensor ScoreSpanLocal(PressInput input, SpanLayout layout)
    {
        using var scope = NewDisposeScope();
        var scores = zeros([input.KvHeads, input.ContextLength], input.Keys.dtype, input.Keys.device);
        foreach (var (start, end) in layout.Owned)
        {
            int anchor = end - 1;
            Tensor keep;
            if (anchor > start)
            {
                var voted = Vote(input, anchor, start, anchor);
                scores[.., TensorIndex.Slice(start, anchor)] = voted;
                keep = voted.amax([-1L], keepdim: true);
            }
            else keep = ones([input.KvHeads, 1], scores.dtype, scores.device);
            scores[.., TensorIndex.Slice(anchor, anchor + 1)] = keep;
        }
        return scores.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>The anchor query's attention to keys [kStart, kEnd), averaged over all query heads, for every KV head.</summary>
    Tensor Vote(PressInput input, int anchor, int kStart, int kEnd)
    {
        var row = WindowAttention.Rows(input, anchor, anchor + 1).narrow(2, kStart, kEnd - kStart); // [Hq, 1, K]
        return row.mean([0L]).expand(input.KvHeads, kEnd - kStart); // [Hkv, K]
    }
}
