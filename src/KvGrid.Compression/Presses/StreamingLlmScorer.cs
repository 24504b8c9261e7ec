using KvGrid.Engine.Modeling;
using static TorchSharp.torch;

namespace KvGrid.Compression;

/// <summary>
/// StreamingLLM: keep the first n_sink tokens and the most recent ones. The fork's press writes ratio-dependent
/// scores (sinks 1.0, the kept tail a 0.1..0.9 ramp, the evicted middle 0); ranking sinks first and then by position
/// orders every position exactly as those scores do for every ratio (the fork's middle zeros are ties, here broken
/// towards recency), so one score vector serves the whole sweep. The span-local variant is the fork's
/// StreamingLLMFairEvictionPress: a 0.1..0.9 ramp over each owned range (the first starting after the sinks),
/// sinks 1.0, in the keys' dtype, ranked globally.
/// </summary>
public sealed class StreamingLlmScorer(PressParameters parameters) : ISpanLocalScorer
{
    public string Name => "streaming_llm";
    public PressParameters Parameters { get; } = parameters;
    public PrefillNeeds Needs => PrefillNeeds.None;
    public PrefillNeeds SpanLocalNeeds => PrefillNeeds.None;
    public bool SpanLocalSelectsGlobally => true;

    public Tensor Score(PressInput input)
    {
        int l = input.ContextLength;
        RequireLongerThanSinks(l);
        using var scope = NewDisposeScope();
        var positions = arange(0, l, ScalarType.Float32, input.Keys.device);
        var scores = positions.masked_fill(positions < Parameters.NSink, 2.0 * l);
        return scores.unsqueeze(0).expand(input.KvHeads, l).contiguous().MoveToOuterDisposeScope();
    }

    public Tensor ScoreSpanLocal(PressInput input, SpanLayout layout)
    {
        int l = input.ContextLength;
        RequireLongerThanSinks(l);
        using var scope = NewDisposeScope();
        var scores = zeros(l, ScalarType.Float32, input.Keys.device);
        for (int i = 0; i < layout.Owned.Count; i++)
        {
            var (start, end) = layout.Owned[i];
            if (i == 0) start = Parameters.NSink;
            if (end - start <= 0)
                throw new CompressionException($"streaming_llm fair eviction: span '{layout.Spans[i].Label}' owns no tokens after the {Parameters.NSink} sink tokens");
            scores[TensorIndex.Slice(start, end)] = linspace(0.1, 0.9, end - start, ScalarType.Float32, input.Keys.device);
        }
        scores[TensorIndex.Slice(0, Math.Min(Parameters.NSink, l))] = 1.0f;
        // The fork writes these into a tensor of the keys' dtype (bf16 rounds the ramps into ties).
        scores = scores.to(input.Keys.dtype).to(ScalarType.Float32);
        return scores.unsqueeze(0).expand(input.KvHeads, l).contiguous().MoveToOuterDisposeScope();
    }

    void RequireLongerThanSinks(int l)
    {
        if (l <= Parameters.NSink)
            throw new CompressionException($"streaming_llm: the context ({l} tokens) must be longer than n_sink={Parameters.NSink}");
    }
}
