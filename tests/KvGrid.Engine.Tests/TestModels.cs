using KvGrid.Engine.Checkpoints;
using KvGrid.Engine.Modeling;
using KvGrid.TestSupport;
using static TorchSharp.torch;

namespace KvGrid.Engine.Tests;

/// <summary>Random checkpoints written once per test run, in the real HF layout.</summary>
public sealed class TestModels : IDisposable
{
    readonly TempDir _dir = new();
    public string LlamaF32 { get; }
    public string LlamaSharded { get; }
    public string LlamaBf16 { get; }
    public string QwenF32 { get; }
    public string QwenBf16 { get; }

    // std 0.15 makes the tiny models' next-token distributions peaked enough that greedy paths are not near-ties.
    static RandomCheckpointSpec Base => new() { HiddenSize = 64, IntermediateSize = 160, NumLayers = 3, NumAttentionHeads = 8, NumKeyValueHeads = 2, InitStd = 0.15, Seed = 7 };

    public TestModels()
    {
        LlamaF32 = Write("llama-f32", Base);
        LlamaSharded = Write("llama-sharded", Base with { Shards = 3 });
        LlamaBf16 = Write("llama-bf16", Base with { DType = ScalarType.BFloat16 });
        var qwen = Base with { Architecture = ModelArchitecture.Qwen2, TieWordEmbeddings = true, Seed = 11 };
        QwenF32 = Write("qwen-f32", qwen);
        QwenBf16 = Write("qwen-bf16", qwen with { DType = ScalarType.BFloat16, Shards = 2 });
    }

    string Write(string name, RandomCheckpointSpec spec)
    {
        var path = _dir[name];
        RandomCheckpoint.Write(path, spec);
        return path;
    }

    public static LanguageModel Load(string dir, ScalarType dtype = ScalarType.Float32) => LanguageModel.Load(dir, CPU, dtype);

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition("models")]
public sealed class ModelsCollection : ICollectionFixture<TestModels>;
