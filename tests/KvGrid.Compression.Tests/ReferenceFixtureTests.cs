using System.Text.Json;
using KvGrid.Engine.Modeling;
using static TorchSharp.torch;

namespace KvGrid.Compression.Tests;

/// <summary>
/// Kept sets against the paper's own press code (fork + the upstream kvpress presses it uses), run on the same
/// tensors by Debian's python3-torch; see Fixtures/README.md.
/// </summary>
public sealed class ReferenceFixtureTests
{
    sealed record Set(int L, int Hq, int Hkv, int D, Tensor Keys, Tensor Queries, Tensor Attention);

    static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "press_reference.json"))).RootElement;
    static readonly Dictionary<string, Set> Sets = Root.GetProperty("sets").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, LoadSet);

    static Tensor Floats(string b64, params long[] shape)
    {
        var bytes = Convert.FromBase64String(b64);
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        return tensor(floats).view(shape);
    }

    static Set LoadSet(JsonElement s)
    {
        int l = s.GetProperty("L").GetInt32(), hq = s.GetProperty("hq").GetInt32(), hkv = s.GetProperty("hkv").GetInt32(), d = s.GetProperty("d").GetInt32();
        var keys = Floats(s.GetProperty("keys").GetString()!, 1, hkv, l, d);
        var queries = Floats(s.GetProperty("queries").GetString()!, 1, hq, l, d);
        var attention = WindowAttention.Rows(new PressInput(0, 1, keys, queries, null), 0, l).unsqueeze(0); // eager weights
        return new Set(l, hq, hkv, d, keys, queries, attention);
    }

    public static IEnumerable<object[]> Cases() =>
        Root.GetProperty("cases").EnumerateArray().Select((c, i) => new object[] { i, Describe(c) });

    static string Describe(JsonElement c) =>
        $"{c.GetProperty("set").GetString()} {c.GetProperty("press").GetString()} {c.GetProperty("params")} r={c.GetProperty("ratio").GetDouble()} layer={c.GetProperty("layer").GetInt32()}"
        + (c.GetProperty("whitelist").ValueKind == JsonValueKind.Array ? " whitelist" : "") + (c.GetProperty("fair").ValueKind == JsonValueKind.Object ? " fair" : "");

    [Theory]
    [MemberData(nameof(Cases))]
    public void KeptSetMatchesTheFork(int index, string description)
    {
        var c = Root.GetProperty("cases")[index];
        if (c.TryGetProperty("reference_crash", out _)) return; // the fork itself fails here; nothing to compare
        var set = Sets[c.GetProperty("set").GetString()!];
        var parameters = c.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var scorer = PressRegistry.Create(c.GetProperty("press").GetString()!, parameters);
        var remedy = RemedySpec.None;
        if (c.GetProperty("whitelist") is { ValueKind: JsonValueKind.Array } wl)
            remedy = RemedySpec.WhitelistOf(wl.EnumerateArray().Select(x => x.GetInt32()).Select(p => new TokenSpan(p, p + 1, $"w{p}")).ToArray());
        if (c.GetProperty("fair") is { ValueKind: JsonValueKind.Object } fair)
        {
            TokenSpan Span(string name) { var a = fair.GetProperty(name); return new TokenSpan(a[0].GetInt32(), a[1].GetInt32(), name); }
            remedy = RemedySpec.FairOf(Span("defense"), Span("sys"));
        }
        int numLayers = c.GetProperty("num_layers").GetInt32(), layer = c.GetProperty("layer").GetInt32();
        double ratio = c.GetProperty("ratio").GetDouble();
        using var compressor = new ContextCompressor(scorer, remedy, TestTensors.Config(numLayers, set.Hq, set.Hkv, set.D));
        var needs = compressor.Needs;
        var template = new PrefillLayer(0, set.Keys, set.Keys,
            (needs & PrefillNeeds.Queries) != 0 ? set.Queries : null, (needs & PrefillNeeds.AttentionWeights) != 0 ? set.Attention : null, zeros(1, set.L, 1));

        if (c.TryGetProperty("error", out var error))
        {
            var e = Assert.ThrowsAny<CompressionException>(() => TestTensors.Kept(compressor, template, numLayers, ratio));
            Assert.Contains("whitelist", e.Message);
            return;
        }
        var actual = TestTensors.Kept(compressor, template, numLayers, ratio)[layer];
        var expected = c.GetProperty("kept").EnumerateArray().Select(h => h.EnumerateArray().Select(x => x.GetInt32()).ToArray()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int h = 0; h < expected.Length; h++)
        {
            if (expected[h].SequenceEqual(actual[h])) continue;
            Assert.True(c.GetProperty("ties_possible").GetBoolean(), $"{description}: head {h}: expected [{string.Join(",", expected[h])}], got [{string.Join(",", actual[h])}]");
            // Ties at the cut: both sets must hold the same multiset of scores.
            using var scores = ScoresOf(scorer, remedy, set, template, numLayers);
            var row = scores[h].data<float>().ToArray();
            Assert.Equal(expected[h].Select(p => row[p]).Order(), actual[h].Select(p => row[p]).Order());
        }
    }

    static Tensor ScoresOf(IPressScorer scorer, RemedySpec remedy, Set set, PrefillLayer template, int numLayers)
    {
        var input = PressInput.From(template, numLayers);
        return remedy.IsFair && scorer is ISpanLocalScorer local ? local.ScoreSpanLocal(input, new SpanLayout(remedy.FairSpans, set.L)) : scorer.Score(input);
    }

    [Fact]
    public void RandomScoresMatchTorchManualSeed()
    {
        var r = Root.GetProperty("random_scores");
        var expected = Floats(r.GetProperty("values").GetString()!, 2, 40).data<float>().ToArray();
        var scorer = PressRegistry.Create("random", new Dictionary<string, string> { ["seed"] = r.GetProperty("seed").GetInt32().ToString() });
        using var scores = scorer.Score(new PressInput(0, 1, zeros(1, 2, 40, 4), null, null));
        Assert.Equal(expected, scores.data<float>().ToArray());
    }

    [Fact]
    public void FixtureCoversEveryPressAndRemedy()
    {
        var cases = Root.GetProperty("cases").EnumerateArray().ToArray();
        Assert.True(cases.Length > 300);
        foreach (var name in PressRegistry.Names)
            Assert.Contains(cases, c => c.GetProperty("press").GetString() == name);
        Assert.Contains(cases, c => c.GetProperty("fair").ValueKind == JsonValueKind.Object);
        Assert.Contains(cases, c => c.GetProperty("whitelist").ValueKind == JsonValueKind.Array);
        Assert.Contains(cases, c => c.TryGetProperty("error", out _));
    }
}
