using static TorchSharp.torch;

namespace KvGrid.Compression.Tests;

/// <summary>Each press on tiny hand-made layers; expectations worked out by hand from kvpress's definitions.</summary>
public sealed class PressScoringTests
{
    static int[][] Kept(string press, Dictionary<string, string>? p, Tensor keys, Tensor? queries, Tensor? attention, double ratio, int heads = 1)
    {
        var scorer = PressRegistry.Create(press, p);
        using var c = new ContextCompressor(scorer, RemedySpec.None, TestTensors.Config(1, heads, (int)keys.shape[1]));
        return TestTensors.Kept(c, TestTensors.Layer(keys, queries, attention), 1, ratio)[0];
    }

    [Fact]
    public void KnormKeepsTheLowestNormKeys()
    {
        // norms per position: 3, 1, 5, 2, 4 (head 0); 1, 2, 3, 4, 5 (head 1); ratio 0.4 keeps int(5 * 0.6) = 3.
        var keys = tensor(new float[] { 3, 0, 1, 0, 5, 0, 0, 2, 4, 0, /* head 1 */ 1, 0, 2, 0, 3, 0, 4, 0, 5, 0 }).view(1, 2, 5, 2);
        var kept = Kept("knorm", null, keys, null, null, 0.4, heads: 2);
        Assert.Equal([0, 1, 3], kept[0]);
        Assert.Equal([0, 1, 2], kept[1]);
    }

    [Fact]
    public void StreamingLlmKeepsSinksAndTheMostRecentTokens()
    {
        // L = 10, n_sink 2, ratio 0.5: n_kept 5 = sinks {0, 1} + the last 3.
        var kept = Kept("streaming_llm", new() { ["n_sink"] = "2" }, TestTensors.ZeroKeys(1, 10), null, null, 0.5);
        Assert.Equal([0, 1, 7, 8, 9], kept[0]);
        // Default n_sink 4, ratio 0.3: n_kept int(10 * 0.7) = 7 = {0..3} + {7, 8, 9}.
        Assert.Equal([0, 1, 2, 3, 7, 8, 9], Kept("streaming_llm", null, TestTensors.ZeroKeys(1, 10), null, null, 0.3)[0]);
    }

    // Attention rows of a 6-token context with one head: only the window rows (queries 4 and 5) matter to SnapKV.
    static Tensor SnapAttention() => TestTensors.Attention([[
        [1, 0, 0, 0, 0, 0], [0.5f, 0.5f, 0, 0, 0, 0], [0.3f, 0.3f, 0.4f, 0, 0, 0], [0.25f, 0.25f, 0.25f, 0.25f, 0, 0],
        [0.1f, 0.5f, 0.1f, 0.1f, 0.2f, 0], [0.3f, 0.1f, 0.1f, 0.2f, 0.1f, 0.2f],
    ]]);

    [Fact]
    public void SnapKvAveragesTheWindowAndSmoothsWithAveragePooling()
    {
        // window 2 (queries 4, 5) over keys 0..3: mean = [0.2, 0.3, 0.1, 0.15].
        // kernel 1 (no smoothing): window gets max 0.3; ratio 0.3 keeps int(6 * 0.7) = 4 -> keys 1, 0 and the window.
        var p1 = new Dictionary<string, string> { ["window_size"] = "2", ["kernel_size"] = "1" };
        Assert.Equal([0, 1, 4, 5], Kept("snapkv", p1, TestTensors.ZeroKeys(1, 6), null, SnapAttention(), 0.3)[0]);
        // kernel 3, zero padding counted: [0.5/3, 0.6/3, 0.55/3, 0.25/3] -> key 2 now beats key 0.
        var p3 = new Dictionary<string, string> { ["window_size"] = "2", ["kernel_size"] = "3" };
        Assert.Equal([1, 2, 4, 5], Kept("snapkv", p3, TestTensors.ZeroKeys(1, 6), null, SnapAttention(), 0.3)[0]);
    }

    [Fact]
    public void SnapKvFromQueriesEqualsSnapKvFromAttentionWeights()
    {
        var g = new TorchSharp.torch.Generator(5);
        var keys = randn([1, 2, 30, 8], generator: g);
        var queries = randn([1, 4, 30, 8], generator: g);
        var weights = WindowAttention.Rows(new PressInput(0, 1, keys, queries, null), 0, 30).unsqueeze(0);
        var scorer = PressRegistry.Create("snapkv", new Dictionary<string, string> { ["window_size"] = "8" });
        using var fromQueries = scorer.Score(new PressInput(0, 1, keys, queries, null));
        using var fromWeights = scorer.Score(new PressInput(0, 1, keys, null, weights));
        Assert.True(fromQueries.allclose(fromWeights, 1e-6, 1e-7));
    }

    [Fact]
    public void TovaUsesTheLastQueryAveragedOverAllHeads()
    {
        // 5 tokens, 2 query heads sharing 1 KV head; last rows: [.4 .1 .2 .1 .2] and [0 .2 .1 .5 .2]
        // -> keys 0..3: [.2 .15 .15 .3], last token gets the max .3; ratio 0.4 keeps 3 -> {0, 3, 4}.
        float[] Filler(int q) => Enumerable.Range(0, 5).Select(k => k <= q ? 1f / (q + 1) : 0f).ToArray();
        var attention = TestTensors.Attention([
            [Filler(0), Filler(1), Filler(2), Filler(3), [0.4f, 0.1f, 0.2f, 0.1f, 0.2f]],
            [Filler(0), Filler(1), Filler(2), Filler(3), [0f, 0.2f, 0.1f, 0.5f, 0.2f]],
        ]);
        Assert.Equal([0, 3, 4], Kept("tova", null, TestTensors.ZeroKeys(1, 5), null, attention, 0.4, heads: 2)[0]);
    }

    [Fact]
    public void ObservedAttentionNormalisesByTheQueriesThatSeeEachKey()
    {
        // sums over queries [1.7, 0.7, 0.6], divided by [3, 2, 1] -> [0.567, 0.35, 0.6]; ratio 0.3 keeps 2 -> {0, 2}
        // (raw sums would keep {0, 1}).
        var attention = TestTensors.Attention([[[1, 0, 0], [0.5f, 0.5f, 0], [0.2f, 0.2f, 0.6f]]]);
        Assert.Equal([0, 2], Kept("h2o", null, TestTensors.ZeroKeys(1, 3), null, attention, 0.3)[0]);
    }

    [Fact]
    public void PyramidKvBudgetsFollowThePyramid()
    {
        // L = 100, window 16, beta 20, ratio 0.5, 4 layers: max 84, min 16, step 68/3 -> 84, 61, 39, 16 (mean 50).
        var pyramid = (ILayerBudget)PressRegistry.Create("pyramidkv", null);
        Assert.Equal([84, 61, 39, 16], Enumerable.Range(0, 4).Select(l => pyramid.KeptCount(l, 4, 100, 0.5)).ToArray());
        // L = 30: max 14 < min 16, too short for a pyramid: SnapKV's round(30 * 0.5) = 15 in every layer.
        Assert.Equal([15, 15], Enumerable.Range(0, 2).Select(l => pyramid.KeptCount(l, 2, 30, 0.5)).ToArray());
        // L = 40: max 24, min 16, one step of 8 -> 24, 16.
        Assert.Equal([24, 16], Enumerable.Range(0, 2).Select(l => pyramid.KeptCount(l, 2, 40, 0.5)).ToArray());
    }

    [Fact]
    public void RandomIsSeededAndTheSameInEveryLayer()
    {
        var p = new Dictionary<string, string> { ["seed"] = "3" };
        var a = PressRegistry.Create("random", p).Score(new PressInput(0, 2, TestTensors.ZeroKeys(2, 20), null, null));
        var b = PressRegistry.Create("random", p).Score(new PressInput(1, 2, TestTensors.ZeroKeys(2, 20), null, null));
        var c = PressRegistry.Create("random", new Dictionary<string, string> { ["seed"] = "4" }).Score(new PressInput(0, 2, TestTensors.ZeroKeys(2, 20), null, null));
        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
    }

    [Fact]
    public void PressesDeclareOnlyWhatTheyNeed()
    {
        Assert.Equal(KvGrid.Engine.Modeling.PrefillNeeds.None, PressRegistry.Create("knorm").Needs);
        Assert.Equal(KvGrid.Engine.Modeling.PrefillNeeds.None, PressRegistry.Create("streaming_llm").Needs);
        Assert.Equal(KvGrid.Engine.Modeling.PrefillNeeds.None, PressRegistry.Create("random").Needs);
        Assert.Equal(KvGrid.Engine.Modeling.PrefillNeeds.Queries, PressRegistry.Create("snapkv").Needs);
        Assert.Equal(KvGrid.Engine.Modeling.PrefillNeeds.Queries, PressRegistry.Create("tova").Needs);
        Assert.Equal(KvGrid.Engine.Modeling.PrefillNeeds.Queries, PressRegistry.Create("pyramidkv").Needs);
        Assert.Equal(KvGrid.Engine.Modeling.PrefillNeeds.AttentionWeights, PressRegistry.Create("observed_attention").Needs);
    }

    [Theory]
    [InlineData("nope", null, null, "unknown press 'nope'")]
    [InlineData("snapkv", "window_size", "x", "window_size must be an integer")]
    [InlineData("snapkv", "kernel_size", "4", "kernel_size must be odd")]
    [InlineData("knorm", "alpha", "1", "unknown parameter 'alpha'")]
    [InlineData("pyramidkv", "beta", "0", "beta must be an integer >= 1")]
    public void BadPressesAndParametersAreOneLineErrors(string name, string? key, string? value, string message)
    {
        var p = key is null ? null : new Dictionary<string, string> { [key] = value! };
        var e = Assert.ThrowsAny<CompressionException>(() => PressRegistry.Create(name, p));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ContextShorterThanTheWindowFailsOnlyWhenCompressing()
    {
        using var c = new ContextCompressor(PressRegistry.Create("snapkv"), RemedySpec.None, TestTensors.Config(1, 1, 1));
        c.OnLayer(TestTensors.Layer(TestTensors.ZeroKeys(1, 10), zeros(1, 1, 10, 4)));
        var all = c.KeptPositions(0.0);
        Assert.Equal(10, all[0].shape[1]);
        var e = Assert.Throws<CompressionException>(() => c.KeptPositions(0.5));
        Assert.Contains("window_size=16", e.Message);
    }
}
