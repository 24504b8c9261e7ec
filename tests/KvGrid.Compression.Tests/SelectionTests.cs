using static TorchSharp.torch;

namespace KvGrid.Compression.Tests;

/// <summary>Kept counts, ratio sweeps from one prefill, whitelisting and fair quotas.</summary>
public sealed class SelectionTests
{
    static readonly double[] Sweep = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

    static (Tensor Keys, Tensor Queries) RandomLayer(int l, int seed = 1, int hkv = 2, int hq = 4)
    {
        var g = new TorchSharp.torch.Generator((ulong)seed);
        return (randn([1, hkv, l, 8], generator: g), randn([1, hq, l, 8], generator: g));
    }

    static ContextCompressor Observe(string press, RemedySpec remedy, int l, int layers = 2, int seed = 1)
    {
        var (keys, queries) = RandomLayer(l, seed);
        var c = new ContextCompressor(PressRegistry.Create(press), remedy, TestTensors.Config(layers, 4, 2, 8));
        var weights = WindowAttention.Rows(new PressInput(0, 1, keys, queries, null), 0, l).unsqueeze(0);
        for (int layer = 0; layer < layers; layer++) c.OnLayer(new(layer, keys, keys, queries, weights, zeros(1, l, 1)));
        return c;
    }

    [Theory]
    [InlineData("knorm")]
    [InlineData("snapkv")]
    [InlineData("observed_attention")]
    [InlineData("streaming_llm")]
    public void NKeptIsExactForEveryRatioAndRatioZeroKeepsAll(string press)
    {
        using var c = Observe(press, RemedySpec.None, 37);
        foreach (var r in Sweep)
        {
            var kept = c.KeptPositions(r);
            int expected = (int)(37 * (1 - r));
            foreach (var t in kept)
            {
                Assert.Equal([2, expected], t.shape);
                var sorted = t.sort(1).Values;
                Assert.True(t.eq(sorted).all().item<bool>(), "positions ascending");
                for (int h = 0; h < 2; h++) Assert.Equal(expected, t[h].unique().output.shape[0]);
            }
            if (r == 0) Assert.True(kept[0][0].eq(arange(37)).all().item<bool>());
        }
    }

    [Fact]
    public void NKeptFollowsPythonIntTruncation()
    {
        Assert.Equal(0, ContextCompressor.NKept(10, 0.9)); // 10 * 0.09999999999999998
        Assert.Equal(3, ContextCompressor.NKept(10, 0.7)); // 10 * 0.30000000000000004
        Assert.Equal(10, ContextCompressor.NKept(10, 0.0));
        Assert.Throws<CompressionException>(() => ContextCompressor.NKept(10, 1.0));
        Assert.Throws<CompressionException>(() => ContextCompressor.NKept(10, -0.1));
    }

    [Theory]
    [InlineData("snapkv")]
    [InlineData("tova")]
    [InlineData("pyramidkv")]
    [InlineData("streaming_llm")]
    public void OnePrefillGivesTheKeptSetsOfSeparateRuns(string press)
    {
        var fair = new RemedySpec { FairSpans = [new TokenSpan(0, 20, "a"), new TokenSpan(20, 41, "b")], Whitelist = [new TokenSpan(3, 6, "w")] };
        foreach (var remedy in new[] { RemedySpec.None, fair })
        {
            using var sweep = Observe(press, remedy, 41, layers: 3);
            var all = Sweep.Select(r => sweep.KeptPositions(r)).ToArray();
            for (int i = 0; i < Sweep.Length; i++)
            {
                using var single = Observe(press, remedy, 41, layers: 3);
                var separate = single.KeptPositions(Sweep[i]);
                for (int l = 0; l < 3; l++) Assert.True(all[i][l].eq(separate[l]).all().item<bool>(), $"ratio {Sweep[i]} layer {l}");
            }
        }
    }

    [Fact]
    public void WhitelistedPositionsAreAlwaysKeptAndTheRestAreTheBestOthers()
    {
        // knorm keeps the lowest norms; whitelist the 4 highest-norm positions.
        var norms = new float[] { 1, 9, 2, 8, 3, 7, 4, 6, 5, 10 };
        var keys = tensor(norms).view(1, 1, 10, 1);
        var remedy = RemedySpec.WhitelistOf(new TokenSpan(1, 2, "a"), new TokenSpan(9, 10, "b"));
        using var c = new ContextCompressor(PressRegistry.Create("knorm"), remedy, TestTensors.Config());
        var kept = TestTensors.Kept(c, TestTensors.Layer(keys), 1, 0.5); // 5 kept: 1, 9 forced + norms 1, 2, 3
        Assert.Equal([0, 1, 2, 4, 9], kept[0][0]);
    }

    [Fact]
    public void OverBudgetWhitelistIsAOneLineError()
    {
        var remedy = RemedySpec.WhitelistOf(new TokenSpan(0, 6, "defense"));
        using var c = Observe("knorm", remedy, 10);
        Assert.Equal(6, c.KeptPositions(0.4)[0].shape[1]); // exactly the budget
        var e = Assert.Throws<CompressionException>(() => c.KeptPositions(0.5));
        Assert.Equal("whitelist keeps 6 positions but ratio 0.5 keeps only 5 of 10 tokens", e.Message);
    }

    [Theory]
    [InlineData(7, new[] { 10, 30 }, new[] { 1, 6 })] // the fork: 7 * 10 // 40 = 1, later gets the rest
    [InlineData(9, new[] { 10, 10, 20 }, new[] { 2, 2, 5 })] // cumulative floors 2, 4, 9
    [InlineData(0, new[] { 5, 5 }, new[] { 0, 0 })]
    [InlineData(10, new[] { 3, 7 }, new[] { 3, 7 })]
    [InlineData(5, new[] { 0, 8, 2 }, new[] { 0, 4, 1 })]
    public void QuotasSumToTheBudgetInProportion(int budget, int[] sizes, int[] expected)
    {
        var q = QuotaAllocation.Allocate(budget, sizes);
        Assert.Equal(expected, q);
        Assert.Equal(budget, q.Sum());
        long total = sizes.Sum();
        for (int i = 0; i < sizes.Length; i++) Assert.True(Math.Abs(q[i] - (double)budget * sizes[i] / total) < 1, "within one of the exact share");
    }

    [Fact]
    public void FairEvictionKeepsEachSpansQuotaOfItsOwnBestTokens()
    {
        // knorm on norms = position + 1 (lower = better); spans [0, 4) and [4, 12): ratio 0.5 keeps 6:
        // quotas 6 * 4 // 12 = 2 and 4 -> {0, 1} and {4, 5, 6, 7}; plain top-k would keep {0..5}.
        var keys = (arange(12, ScalarType.Float32) + 1).view(1, 1, 12, 1);
        var remedy = RemedySpec.FairOf(new TokenSpan(0, 4, "defense"), new TokenSpan(4, 12, "system"));
        using var c = new ContextCompressor(PressRegistry.Create("knorm"), remedy, TestTensors.Config());
        Assert.Equal([0, 1, 4, 5, 6, 7], TestTensors.Kept(c, TestTensors.Layer(keys), 1, 0.5)[0][0]);
    }

    [Fact]
    public void FairSpansOwnTheGapsUpToTheNextSpan()
    {
        // spans [2, 4), [6, 8), [9, 10) own [0, 6), [6, 9), [9, 12); ratio 0.5 keeps 6 -> quotas 3, 1, 2 (cumulative 3, 4, 6)
        var layout = new SpanLayout([new TokenSpan(6, 8, "b"), new TokenSpan(2, 4, "a"), new TokenSpan(9, 10, "c")], 12);
        Assert.Equal([(0, 6), (6, 9), (9, 12)], layout.Owned);
        var keys = (arange(12, ScalarType.Float32) + 1).view(1, 1, 12, 1);
        var remedy = RemedySpec.FairOf(layout.Spans.ToArray());
        using var c = new ContextCompressor(PressRegistry.Create("knorm"), remedy, TestTensors.Config());
        Assert.Equal([0, 1, 2, 6, 9, 10], TestTensors.Kept(c, TestTensors.Layer(keys), 1, 0.5)[0][0]);
    }

    [Fact]
    public void WhitelistAndFairEvictionCompose()
    {
        // Whitelist {10, 11} (the worst-scored) with spans [0, 4), [4, 12); ratio 0.5 keeps 6: 2 forced, the other 4
        // split by non-whitelisted sizes 4 and 6 -> quotas 1 and 3 -> {0} and {4, 5, 6}.
        var keys = (arange(12, ScalarType.Float32) + 1).view(1, 1, 12, 1);
        var remedy = new RemedySpec { Whitelist = [new TokenSpan(10, 12, "defense")], FairSpans = [new TokenSpan(0, 4, "a"), new TokenSpan(4, 12, "b")] };
        using var c = new ContextCompressor(PressRegistry.Create("knorm"), remedy, TestTensors.Config());
        Assert.Equal([0, 4, 5, 6, 10, 11], TestTensors.Kept(c, TestTensors.Layer(keys), 1, 0.5)[0][0]);
    }

    [Theory]
    [InlineData(0, 12, 10, 14, "overlap")]
    [InlineData(0, 12, 12, 25, "outside the context")]
    [InlineData(5, 5, 6, 8, "empty")]
    public void BadSpansAreOneLineErrors(int s1, int e1, int s2, int e2, string message)
    {
        var remedy = RemedySpec.FairOf(new TokenSpan(s1, e1, "a"), new TokenSpan(s2, e2, "b"));
        var c = new ContextCompressor(PressRegistry.Create("knorm"), remedy, TestTensors.Config());
        var e = Assert.Throws<SpanException>(() => c.Validate(20));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
