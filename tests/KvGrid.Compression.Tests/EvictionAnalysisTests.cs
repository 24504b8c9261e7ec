using System.Text.Json;
using static TorchSharp.torch;

namespace KvGrid.Compression.Tests;

public sealed class EvictionAnalysisTests
{
    [Fact]
    public void KeepRatesAreFractionsOfLayerHeadPairs()
    {
        // 2 layers x 2 heads over 4 tokens: token 0 kept by 3 of 4 pairs, 1 and 2 by 2, token 3 by 1.
        var kept = new[]
        {
            tensor(new long[] { 0, 1, 0, 2 }).view(2, 2),
            tensor(new long[] { 3, 0, 1, 2 }).view(2, 2), // unsorted on purpose
        };
        var report = EvictionAnalysis.Compute(kept, 4, [new TokenSpan(0, 2, "defense"), new TokenSpan(2, 4, "system")]);
        Assert.Equal([0.75, 0.5, 0.5, 0.25], report.KeepRate);
        Assert.Equal(0.625, report.SpanKeepPercentage["defense"]);
        Assert.Equal(0.375, report.SpanKeepPercentage["system"]);
        Assert.Equal([0, 3], report.KeptPositions[1][0]);
        var json = JsonSerializer.Serialize(report);
        Assert.Contains("\"SpanKeepPercentage\":{\"defense\":0.625", json);
    }

    [Fact]
    public void UncompressedKeepsEverything()
    {
        var report = EvictionAnalysis.Uncompressed(3, 2, 5, [new TokenSpan(1, 3, "x")]);
        Assert.All(report.KeepRate, r => Assert.Equal(1.0, r));
        Assert.Equal(1.0, report.SpanKeepPercentage["x"]);
    }
}
