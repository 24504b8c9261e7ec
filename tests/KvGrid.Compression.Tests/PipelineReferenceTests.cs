using System.Text.Json;
using KvGrid.Engine;
using KvGrid.Engine.Checkpoints;
using KvGrid.Engine.Generation;
using KvGrid.TestSupport;
using static TorchSharp.torch;

namespace KvGrid.Compression.Tests;

/// <summary>Compressed prefill + continuation against the paper's presses in a Python reference pipeline (Fixtures/README.md).</summary>
public sealed class PipelineReferenceTests : IClassFixture<PipelineReferenceTests.Model>
{
    public sealed class Model : IDisposable
    {
        readonly TempDir _dir = new();
        public LanguageModel Lm { get; }
        public Model()
        {
            // Same spec as `kvgrid model init-random --hidden-size 64 --intermediate-size 160 --layers 3 --heads 8 --kv-heads 2 --seed 7 --init-std 0.15`.
            RandomCheckpoint.Write(_dir["m"], new RandomCheckpointSpec { HiddenSize = 64, IntermediateSize = 160, NumLayers = 3, NumAttentionHeads = 8, NumKeyValueHeads = 2, Seed = 7, InitStd = 0.15 });
            Lm = LanguageModel.Load(_dir["m"], CPU, ScalarType.Float32);
        }
        public void Dispose() { Lm.Dispose(); _dir.Dispose(); }
    }

    readonly LanguageModel _lm;
    public PipelineReferenceTests(Model model) { _lm = model.Lm; }

    static readonly JsonElement Requests = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "pipeline_reference.json"))).RootElement.GetProperty("requests");

    public static IEnumerable<object[]> Cases() => Requests.EnumerateArray().Select((r, i) => new object[]
    {
        i, $"{r.GetProperty("press").GetString()} r={r.GetProperty("ratio").GetDouble()}{(r.TryGetProperty("fair", out _) ? " fair" : "")}{(r.TryGetProperty("whitelist", out _) ? " whitelist" : "")}{(r.GetProperty("context_len").ValueKind == JsonValueKind.Null ? " whole-prompt" : "")}",
    });

    [Theory]
    [MemberData(nameof(Cases))]
    public void KeptSetsAndGreedyIdsMatch(int index, string description)
    {
        var r = Requests[index];
        var ids = r.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        int k = r.GetProperty("context_len").ValueKind == JsonValueKind.Null ? ids.Length : r.GetProperty("context_len").GetInt32();
        var parameters = r.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        var remedy = RemedySpec.None;
        if (r.TryGetProperty("fair", out var fair))
            remedy = RemedySpec.FairOf(new TokenSpan(fair[0][0].GetInt32(), fair[0][1].GetInt32(), "defense"), new TokenSpan(fair[1][0].GetInt32(), fair[1][1].GetInt32(), "system"));
        if (r.TryGetProperty("whitelist", out var wl))
            remedy = RemedySpec.WhitelistOf(wl.EnumerateArray().Select(x => new TokenSpan(x.GetInt32(), x.GetInt32() + 1, $"w{x.GetInt32()}")).ToArray());
        double ratio = r.GetProperty("ratio").GetDouble();

        using var compressor = new ContextCompressor(PressRegistry.Create(r.GetProperty("press").GetString()!, parameters), remedy, _lm.Model.Config);
        using var context = _lm.Model.Prefill(ids[..k], compressor);
        var kept = compressor.KeptPositions(ratio);
        var expected = r.GetProperty("expected");
        var expectedKept = expected.GetProperty("kept");
        bool tieBroken = false;
        for (int l = 0; l < kept.Count; l++)
        {
            var actual = TestTensors.ToArrays(kept[l]);
            for (int h = 0; h < actual.Length; h++)
            {
                var want = expectedKept[l][h].EnumerateArray().Select(x => x.GetInt32()).ToArray();
                if (want.SequenceEqual(actual[h])) continue;
                // K-Norm in layer 0: RoPE preserves norms, so repeated tokens have equal key norms up to rounding;
                // such ties at the cut may fall either way, but the kept tokens must be the same multiset.
                bool tie = l == 0 && r.GetProperty("press").GetString() == "knorm"
                    && want.Select(p => ids[p]).Order().SequenceEqual(actual[h].Select(p => ids[p]).Order());
                Assert.True(tie, $"{description}: layer {l} head {h}: expected [{string.Join(",", want)}], got [{string.Join(",", actual[h])}]");
                tieBroken = true;
            }
        }
        // A tie broken the other way leaves a different (equally valid) cache, so the continuation may differ.
        if (tieBroken) return;
        using var compressed = context.Select(kept);
        var options = new GenerationOptions { MaxNewTokens = r.GetProperty("max_new_tokens").GetInt32(), StopIds = [] };
        var generated = TextGenerator.Generate(_lm.Model, compressed, ids[k..], options).Ids;
        Assert.Equal(expected.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(), generated);
    }
}
