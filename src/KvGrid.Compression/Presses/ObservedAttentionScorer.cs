using KvGrid.Engine.Modeling;
using static TorchSharp.torch;

namespace KvGrid.Compression;

/// <summary>
/// ObservedAttention / H2O (kvpress ObservedAttentionPress): the attention each key receives summed over all prompt
/// queries (eager weights), divided by the number of queries that can see it (L - k), averaged over each KV group.
/// The span-local variant is the fork's ObservedAttentionFairEvictionPress for N spans: keys of every span but the
/// last receive no attention from the queries of later spans, and are normalised by (span end - k) instead. As in
/// the fork this uses the located spans (not their owned ranges), so queries outside every span still vote.
/// </summary>
public sealed class ObservedAttentionScorer(PressParameters parameters) : ISpanLocalScorer
{
    public string Name => "observed_attention";
    public PressParameters Parameters { get; } = parameters;
    public PrefillNeeds Needs => PrefillNeeds.AttentionWeights;
    public PrefillNeeds SpanLocalNeeds => PrefillNeeds.AttentionWeights;

    public Tensor Score(PressInput input) => Score(input, null);

    public Tensor ScoreSpanLocal(PressInput input, SpanLayout layout) => Score(input, layout.Spans);

    Tensor Score(PressInput input, IReadOnlyList<TokenSpan>? spans)
    {
        var weights = input.AttentionWeights ?? throw new InvalidOperationException("observed_attention needs attention weights");
        using var scope = NewDisposeScope();
        var att = weights[0]; // [Hq, L(q), L(k)]
        long l = att.shape[2];
        var ar = arange(0, l, ScalarType.Float32, att.device).to(att.dtype);
        var counts = (l - ar);
        if (spans is { Count: > 1 })
        {
            var mask = ones([l, l], att.dtype, att.device);
            for (int i = 0; i + 1 < spans.Count; i++)
            {
                var keysOf = TensorIndex.Slice(spans[i].Start, spans[i].End);
                for (int j = i + 1; j < spans.Count; j++)
                    mask[TensorIndex.Slice(spans[j].Start, spans[j].End), keysOf] = 0.0;
                var local = (spans[i].End - ar).clamp_min(1);
                var inSpan = (ar >= spans[i].Start).logical_and(ar < spans[i].End);
                counts = where(inSpan, local, counts);
            }
            att = att * mask.unsqueeze(0);
            counts = counts.clamp_min(1);
        }
        var perHead = att.sum([1L]) / counts; // [Hq, L]
        long hq = perHead.shape[0], hkv = input.KvHeads;
        return perHead.view(hkv, hq / hkv, l).mean([1L]).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
