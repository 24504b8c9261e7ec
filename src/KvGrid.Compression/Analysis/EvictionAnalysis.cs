using static TorchSharp.torch;

namespace KvGrid.Compression;

/// <summary>
/// Which tokens a compressed context kept: positions per (layer, KV head), each token's keep rate (the fraction of
/// layer-head pairs that kept it; the fork's mean over layers of the per-layer head mean, equal when every layer has
/// the same heads) and each span's keep percentage (mean keep rate over the span's tokens, in [0, 1]).
/// </summary>
public sealed record EvictionReport(int ContextLength, double[] KeepRate, Dictionary<string, double> SpanKeepPercentage, int[][][] KeptPositions);

public static class EvictionAnalysis
{
    /// <param name="kept">Per layer [Hkv, n] (or [1, Hkv, n]) kept positions.</param>
    public static EvictionReport Compute(IReadOnlyList<Tensor> kept, int contextLength, IReadOnlyList<TokenSpan> spans)
    {
        if (kept.Count == 0) throw new ArgumentException("no layers");
        SpanValidation.CheckBounds(spans, contextLength, "analysis span");
        using var scope = NewDisposeScope();
        var positions = new int[kept.Count][][];
        Tensor? rateSum = null;
        for (int l = 0; l < kept.Count; l++)
        {
            var k = kept[l].dim() == 3 ? kept[l][0] : kept[l];
            var idx = k.to(ScalarType.Int64);
            var mask = zeros([idx.shape[0], contextLength], ScalarType.Float64, idx.device).scatter_(1, idx, ones(idx.shape, ScalarType.Float64, idx.device));
            var layerRate = mask.mean([0L]);
            rateSum = rateSum is null ? layerRate : rateSum + layerRate;
            var cpu = idx.cpu();
            long heads = cpu.shape[0], n = cpu.shape[1];
            var flat = cpu.data<long>().ToArray();
            positions[l] = new int[heads][];
            for (int h = 0; h < heads; h++)
                positions[l][h] = flat.AsSpan((int)(h * n), (int)n).ToArray().Select(x => (int)x).Order().ToArray();
        }
        var keepRate = (rateSum! / kept.Count).cpu().data<double>().ToArray();
        var spanKeep = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in spans)
        {
            if (spanKeep.ContainsKey(s.Label)) throw new SpanException($"analysis span label '{s.Label}' is used twice");
            spanKeep[s.Label] = s.Length == 0 ? 0.0 : keepRate.AsSpan(s.Start, s.Length).ToArray().Average();
        }
        return new EvictionReport(contextLength, keepRate, spanKeep, positions);
    }

    /// <summary>The uncompressed report (ratio 0): every token kept by every head.</summary>
    public static EvictionReport Uncompressed(int numLayers, int kvHeads, int contextLength, IReadOnlyList<TokenSpan> spans)
    {
        using var all = arange(0, contextLength, ScalarType.Int64).unsqueeze(0).expand(kvHeads, contextLength).contiguous();
        return Compute(Enumerable.Repeat(all, numLayers).ToArray(), contextLength, spans);
    }
}
