using KvGrid.Engine;
using KvGrid.Engine.Checkpoints;
using KvGrid.Engine.Generation;
using KvGrid.TestSupport;
using static TorchSharp.torch;

namespace KvGrid.Compression.Tests;

/// <summary>Compression through the engine's prefill hook on a tiny random checkpoint.</summary>
public sealed class CompressedGenerationTests : IDisposable
{
    readonly TempDir _dir = new();
    readonly LanguageModel _lm;
    static readonly int[] Prompt = Enumerable.Range(0, 48).Select(i => 1 + (i * 37) % 250).ToArray();

    public CompressedGenerationTests()
    {
        RandomCheckpoint.Write(_dir["m"], new RandomCheckpointSpec { HiddenSize = 64, IntermediateSize = 160, NumLayers = 3, NumAttentionHeads = 8, NumKeyValueHeads = 2, InitStd = 0.15, Seed = 7 });
        _lm = LanguageModel.Load(_dir["m"], CPU, ScalarType.Float32);
    }

    GenerationOptions Greedy(int n) => new() { MaxNewTokens = n, StopIds = [] };

    [Theory]
    [InlineData("snapkv")]
    [InlineData("observed_attention")]
    [InlineData("streaming_llm")]
    public void RatioZeroDecodesExactlyAsUncompressed(string press)
    {
        int k = 40;
        using var plain = _lm.Model.Prefill(Prompt[..k]);
        var expected = TextGenerator.Generate(_lm.Model, plain, Prompt[k..], Greedy(12)).Ids;

        using var compressor = new ContextCompressor(PressRegistry.Create(press), RemedySpec.None, _lm.Model.Config);
        using var context = _lm.Model.Prefill(Prompt[..k], compressor);
        var kept = compressor.KeptPositions(0.0);
        using var compressed = context.Select(kept);
        Assert.Equal(expected, TextGenerator.Generate(_lm.Model, compressed, Prompt[k..], Greedy(12)).Ids);
    }

    [Fact]
    public void CompressedCacheKeepsOriginalPositionsAndTheSweepSharesOnePrefill()
    {
        using var compressor = new ContextCompressor(PressRegistry.Create("tova"), RemedySpec.None, _lm.Model.Config);
        using var context = _lm.Model.Prefill(Prompt, compressor);
        foreach (var ratio in new[] { 0.25, 0.5, 0.75 })
        {
            using var compressed = context.Select(compressor.KeptPositions(ratio));
            Assert.Equal(Prompt.Length, compressed.ContextLength);
            for (int l = 0; l < 3; l++) Assert.Equal((int)(Prompt.Length * (1 - ratio)), compressed.CachedLength(l));
            // The first token comes from the uncompressed prefill logits (empty suffix), as under kvpress.
            var ids = TextGenerator.Generate(_lm.Model, compressed, [], Greedy(3)).Ids;
            Assert.Equal(context.LastLogits!.argmax().item<long>(), ids[0]);
        }
    }

    public void Dispose()
    {
        _lm.Dispose();
        _dir.Dispose();
    }
}
