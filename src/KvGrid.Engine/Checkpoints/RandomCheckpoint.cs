using System.Text.Json;
using System.Text.Json.Nodes;
using KvGrid.Engine.Modeling;
using KvGrid.Engine.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace KvGrid.Engine.Checkpoints;

/// <summary>Shape and format of a random checkpoint written by <see cref="RandomCheckpoint"/>.</summary>
public sealed record RandomCheckpointSpec
{
    public ModelArchitecture Architecture { get; init; } = ModelArchitecture.Llama;
    public int HiddenSize { get; init; } = 64;
    public int IntermediateSize { get; init; } = 128;
    public int NumLayers { get; init; } = 2;
    public int NumAttentionHeads { get; init; } = 4;
    public int NumKeyValueHeads { get; init; } = 2;
    public int? HeadDim { get; init; }
    /// <summary>Null: just large enough for the tokenizer.</summary>
    public int? VocabSize { get; init; }
    public bool TieWordEmbeddings { get; init; }
    /// <summary>Use Llama 3.1's llama3 rope scaling (factor 8, low 1, high 4, original 8192).</summary>
    public bool Llama3RopeScaling { get; init; } = true;
    public double RopeTheta { get; init; } = 500000.0;
    public int MaxPositionEmbeddings { get; init; } = 8192;
    public long Seed { get; init; } = 42;
    public ScalarType DType { get; init; } = ScalarType.Float32;
    public int Shards { get; init; } = 1;
    /// <summary>A folder with tokenizer.json (+ tokenizer_config.json) to copy; null writes the built-in byte-level tokenizer.</summary>
    public string? TokenizerDir { get; init; }
    /// <summary>Standard deviation of the weights (HF's initializer_range is 0.02; larger makes tiny models less uniform).</summary>
    public double InitStd { get; init; } = 0.02;

    /// <summary>A ~135M-parameter Llama shape like SmolLM-135M, for realistic CPU timing.</summary>
    public static RandomCheckpointSpec SmolLmLike => new()
    {
        HiddenSize = 576, IntermediateSize = 1536, NumLayers = 30, NumAttentionHeads = 9, NumKeyValueHeads = 3,
        VocabSize = 49152, TieWordEmbeddings = true, Llama3RopeScaling = false, RopeTheta = 10000, MaxPositionEmbeddings = 2048,
    };
}

/// <summary>
/// Writes a HF model folder with seeded random weights: config.json, generation_config.json, safetensors
/// (single or sharded), tokenizer.json and tokenizer_config.json. Tests and the demo use these, since no
/// real weights can be downloaded here; loading goes through exactly the path real checkpoints take.
/// </summary>
public static class RandomCheckpoint
{
    public static void Write(string dir, RandomCheckpointSpec spec)
    {
        Directory.CreateDirectory(dir);
        var (vocabNeeded, bos, eos, tokenizerEos) = WriteTokenizer(dir, spec.TokenizerDir);
        int vocab = spec.VocabSize ?? vocabNeeded;
        if (vocab < vocabNeeded) throw new KvGridException($"--vocab-size {vocab} is smaller than the tokenizer's {vocabNeeded} ids");
        int headDim = spec.HeadDim ?? spec.HiddenSize / spec.NumAttentionHeads;
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray(ModelConfig.ArchitectureName(spec.Architecture)),
            ["model_type"] = spec.Architecture == ModelArchitecture.Llama ? "llama" : "qwen2",
            ["hidden_size"] = spec.HiddenSize,
            ["intermediate_size"] = spec.IntermediateSize,
            ["num_hidden_layers"] = spec.NumLayers,
            ["num_attention_heads"] = spec.NumAttentionHeads,
            ["num_key_value_heads"] = spec.NumKeyValueHeads,
            ["head_dim"] = headDim,
            ["hidden_act"] = "silu",
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = spec.RopeTheta,
            ["rope_scaling"] = spec.Llama3RopeScaling && spec.Architecture == ModelArchitecture.Llama
                ? new JsonObject { ["rope_type"] = "llama3", ["factor"] = 8.0, ["low_freq_factor"] = 1.0, ["high_freq_factor"] = 4.0, ["original_max_position_embeddings"] = 8192 }
                : null,
            ["max_position_embeddings"] = spec.MaxPositionEmbeddings,
            ["vocab_size"] = vocab,
            ["tie_word_embeddings"] = spec.TieWordEmbeddings,
            ["bos_token_id"] = bos,
            ["eos_token_id"] = eos,
            ["torch_dtype"] = TorchRuntime.DTypeName(spec.DType),
            ["initializer_range"] = spec.InitStd,
        };
        if (spec.Architecture == ModelArchitecture.Llama) { config["attention_bias"] = false; config["mlp_bias"] = false; }
        else { config["use_sliding_window"] = false; config["sliding_window"] = null; }
        var indented = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString(indented));
        var generation = new JsonObject { ["bos_token_id"] = bos, ["eos_token_id"] = new JsonArray(tokenizerEos.Select(e => (JsonNode)e).ToArray()), ["do_sample"] = false };
        File.WriteAllText(Path.Combine(dir, "generation_config.json"), generation.ToJsonString(indented));

        var parsed = ModelConfig.Load(dir);
        using var scope = NewDisposeScope();
        using var gen = new torch.Generator((ulong)spec.Seed);
        var tensors = new List<(string, Tensor)>();
        foreach (var (name, shape) in ModelParameters.Expected(parsed))
        {
            Tensor t = name.EndsWith("norm.weight", StringComparison.Ordinal)
                ? 1 + 0.1 * randn(shape, generator: gen)   // not exactly 1, so norms are exercised
                : name.EndsWith(".bias", StringComparison.Ordinal)
                    ? 0.1 * randn(shape, generator: gen)   // visible biases, so the Qwen2 bias path is exercised
                    : spec.InitStd * randn(shape, generator: gen);
            tensors.Add((name, t.to(spec.DType)));
        }
        SafetensorsWriter.WriteCheckpoint(dir, tensors, spec.Shards);
    }

    /// <summary>Copies or writes the tokenizer; returns the ids the embedding must cover and the BOS/EOS ids.</summary>
    static (int VocabNeeded, int? Bos, int Eos, int[] StopIds) WriteTokenizer(string dir, string? tokenizerDir)
    {
        if (tokenizerDir is null)
        {
            ByteLevelTokenizer.Write(dir);
            return (ByteLevelTokenizer.VocabSize, ByteLevelTokenizer.BosId, ByteLevelTokenizer.EndOfTextId, [ByteLevelTokenizer.EndOfTextId, ByteLevelTokenizer.EotId]);
        }
        var src = Path.Combine(tokenizerDir, "tokenizer.json");
        if (!File.Exists(src)) throw new KvGridException($"{src}: not found");
        // Validate the tokenizer files completely first, so the reads below cannot meet a wrong type.
        using (HfTokenizer.Load(src)) { }
        ChatTemplate.Load(tokenizerDir);
        if (Path.GetFullPath(tokenizerDir) != Path.GetFullPath(dir))
        {
            File.Copy(src, Path.Combine(dir, "tokenizer.json"), overwrite: true);
            var cfg = Path.Combine(tokenizerDir, "tokenizer_config.json");
            if (File.Exists(cfg)) File.Copy(cfg, Path.Combine(dir, "tokenizer_config.json"), overwrite: true);
            var jinja = Path.Combine(tokenizerDir, "chat_template.jinja");
            if (File.Exists(jinja)) File.Copy(jinja, Path.Combine(dir, "chat_template.jinja"), overwrite: true);
        }
        var root = JsonNode.Parse(File.ReadAllText(src))!.AsObject();
        int maxId = -1;
        if (root["model"]?["vocab"] is JsonObject vocab) foreach (var kv in vocab) maxId = Math.Max(maxId, kv.Value!.GetValue<int>());
        var added = new Dictionary<string, int>();
        if (root["added_tokens"] is JsonArray at)
            foreach (var t in at.OfType<JsonObject>()) { int id = t["id"]!.GetValue<int>(); added[t["content"]!.GetValue<string>()] = id; maxId = Math.Max(maxId, id); }
        int? bos = null; int eos = maxId; var stops = new List<int>();
        var cfgPath = Path.Combine(dir, "tokenizer_config.json");
        if (File.Exists(cfgPath) && JsonNode.Parse(File.ReadAllText(cfgPath)) is JsonObject tc)
        {
            string? Token(string key) => tc[key] switch { JsonValue v => v.GetValue<string>(), JsonObject o => o["content"]?.GetValue<string>(), _ => null };
            if (Token("bos_token") is { } b && added.TryGetValue(b, out var bid)) bos = bid;
            if (Token("eos_token") is { } e && added.TryGetValue(e, out var eid)) { eos = eid; stops.Add(eid); }
        }
        foreach (var extra in new[] { "<|eot_id|>", "<|end_of_text|>", "<|im_end|>", "<|endoftext|>" })
            if (added.TryGetValue(extra, out var id) && !stops.Contains(id)) stops.Add(id);
        if (stops.Count == 0) stops.Add(eos);
        return (maxId + 1, bos, eos, stops.ToArray());
    }
}
