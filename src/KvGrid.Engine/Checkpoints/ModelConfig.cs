using System.Text.Json;

namespace KvGrid.Engine.Checkpoints;

public enum ModelArchitecture { Llama, Qwen2 }

/// <summary>RoPE frequency scaling from config.json's rope_scaling (null: plain RoPE).</summary>
public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings);

/// <summary>The fields of a HuggingFace LlamaForCausalLM / Qwen2ForCausalLM config.json the engine uses.</summary>
public sealed record ModelConfig
{
    public required ModelArchitecture Architecture { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int VocabSize { get; init; }
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public bool TieWordEmbeddings { get; init; }
    /// <summary>Bias on q/k/v projections (always for Qwen2; Llama's attention_bias also puts one on o_proj).</summary>
    public bool QkvBias { get; init; }
    public bool OutputProjBias { get; init; }
    public bool MlpBias { get; init; }
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public string? TorchDType { get; init; }

    public int GroupSize => NumAttentionHeads / NumKeyValueHeads;

    public static string ArchitectureName(ModelArchitecture a) => a == ModelArchitecture.Llama ? "LlamaForCausalLM" : "Qwen2ForCausalLM";

    /// <summary>Reads config.json (and generation_config.json for the stop ids, as HF generate does).</summary>
    public static ModelConfig Load(string modelDir)
    {
        var path = Path.Combine(modelDir, "config.json");
        if (!File.Exists(path)) throw new CheckpointException($"{path}: not found (a model folder needs config.json)");
        JsonElement root;
        try { root = JsonDocument.Parse(File.ReadAllText(path)).RootElement; }
        catch (JsonException e) { throw new CheckpointException($"{path}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {FirstLine(e.Message)}"); }
        if (root.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{path}: expected a JSON object");
        var config = Parse(root, path);
        var genPath = Path.Combine(modelDir, "generation_config.json");
        if (File.Exists(genPath))
        {
            try
            {
                var gen = JsonDocument.Parse(File.ReadAllText(genPath)).RootElement;
                if (gen.ValueKind == JsonValueKind.Object && gen.TryGetProperty("eos_token_id", out var eos) && eos.ValueKind != JsonValueKind.Null)
                    config = config with { EosTokenIds = ReadIdList(eos, genPath, "eos_token_id") };
            }
            catch (JsonException e) { throw new CheckpointException($"{genPath}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {FirstLine(e.Message)}"); }
        }
        return config;
    }

    public static ModelConfig Parse(JsonElement root, string path)
    {
        ModelArchitecture arch;
        string? archName = null;
        if (root.TryGetProperty("architectures", out var archs) && archs.ValueKind == JsonValueKind.Array && archs.GetArrayLength() > 0)
            archName = archs[0].GetString();
        var modelType = root.TryGetProperty("model_type", out var mt) ? mt.GetString() : null;
        if (archName == "LlamaForCausalLM" || (archName == null && modelType == "llama")) arch = ModelArchitecture.Llama;
        else if (archName == "Qwen2ForCausalLM" || (archName == null && modelType == "qwen2")) arch = ModelArchitecture.Qwen2;
        else if (archName == null && modelType == null) throw new CheckpointException($"{path}: missing required field 'architectures'");
        else throw new CheckpointException($"{path}: unsupported architecture '{archName ?? modelType}' (supported: LlamaForCausalLM, Qwen2ForCausalLM)");

        int hidden = RequiredInt(root, "hidden_size", path);
        int heads = RequiredInt(root, "num_attention_heads", path);
        int kvHeads = OptionalInt(root, "num_key_value_heads", path) ?? heads;
        int headDim = OptionalInt(root, "head_dim", path) ?? (heads > 0 ? hidden / heads : 0);
        var config = new ModelConfig
        {
            Architecture = arch,
            HiddenSize = hidden,
            IntermediateSize = RequiredInt(root, "intermediate_size", path),
            NumLayers = RequiredInt(root, "num_hidden_layers", path),
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = headDim,
            VocabSize = RequiredInt(root, "vocab_size", path),
            RmsNormEps = OptionalDouble(root, "rms_norm_eps", path) ?? 1e-6,
            RopeTheta = OptionalDouble(root, "rope_theta", path) ?? 10000.0,
            RopeScaling = ParseRopeScaling(root, path),
            MaxPositionEmbeddings = OptionalInt(root, "max_position_embeddings", path) ?? (arch == ModelArchitecture.Qwen2 ? 32768 : 2048),
            TieWordEmbeddings = OptionalBool(root, "tie_word_embeddings", path) ?? false,
            QkvBias = arch == ModelArchitecture.Qwen2 || (OptionalBool(root, "attention_bias", path) ?? false),
            OutputProjBias = arch == ModelArchitecture.Llama && (OptionalBool(root, "attention_bias", path) ?? false),
            MlpBias = arch == ModelArchitecture.Llama && (OptionalBool(root, "mlp_bias", path) ?? false),
            BosTokenId = root.TryGetProperty("bos_token_id", out var bos) && bos.ValueKind == JsonValueKind.Number ? bos.GetInt32() : null,
            EosTokenIds = root.TryGetProperty("eos_token_id", out var eos) && eos.ValueKind != JsonValueKind.Null ? ReadIdList(eos, path, "eos_token_id") : [],
            TorchDType = root.TryGetProperty("torch_dtype", out var td) && td.ValueKind == JsonValueKind.String ? td.GetString() : null,
        };
        if (root.TryGetProperty("hidden_act", out var act) && act.GetString() is { } a && a != "silu")
            throw new CheckpointException($"{path}: hidden_act '{a}' is not supported (only silu)");
        foreach (var (name, value) in new[] { ("hidden_size", hidden), ("num_attention_heads", heads), ("num_key_value_heads", kvHeads), ("head_dim", headDim),
                     ("intermediate_size", config.IntermediateSize), ("num_hidden_layers", config.NumLayers), ("vocab_size", config.VocabSize) })
            if (value <= 0) throw new CheckpointException($"{path}: '{name}' must be positive, got {value}");
        if (heads % kvHeads != 0) throw new CheckpointException($"{path}: num_attention_heads ({heads}) must be a multiple of num_key_value_heads ({kvHeads})");
        if (headDim % 2 != 0) throw new CheckpointException($"{path}: head_dim ({headDim}) must be even for rotary embeddings");
        return config;
    }

    static RopeScaling? ParseRopeScaling(JsonElement root, string path)
    {
        if (!root.TryGetProperty("rope_scaling", out var rs) || rs.ValueKind == JsonValueKind.Null) return null;
        if (rs.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{path}: 'rope_scaling' must be an object or null");
        string? type = rs.TryGetProperty("rope_type", out var t) ? t.GetString() : rs.TryGetProperty("type", out var t2) ? t2.GetString() : null;
        if (type is null or "default") return null;
        double factor = OptionalDouble(rs, "factor", path) ?? 1.0;
        switch (type)
        {
            case "llama3":
                return new RopeScaling("llama3",
                    OptionalDouble(rs, "factor", path) ?? throw new CheckpointException($"{path}: rope_scaling of type llama3 needs 'factor'"),
                    OptionalDouble(rs, "low_freq_factor", path) ?? throw new CheckpointException($"{path}: rope_scaling of type llama3 needs 'low_freq_factor'"),
                    OptionalDouble(rs, "high_freq_factor", path) ?? throw new CheckpointException($"{path}: rope_scaling of type llama3 needs 'high_freq_factor'"),
                    OptionalInt(rs, "original_max_position_embeddings", path) ?? throw new CheckpointException($"{path}: rope_scaling of type llama3 needs 'original_max_position_embeddings'"));
            case "linear":
                return new RopeScaling("linear", factor, 0, 0, 0);
            default:
                throw new CheckpointException($"{path}: rope_scaling type '{type}' is not supported (supported: llama3, linear)");
        }
    }

    static IReadOnlyList<int> ReadIdList(JsonElement e, string path, string field)
    {
        try
        {
            return e.ValueKind switch
            {
                JsonValueKind.Number => [e.GetInt32()],
                JsonValueKind.Array => e.EnumerateArray().Select(x => x.GetInt32()).ToArray(),
                _ => throw new FormatException(),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw new CheckpointException($"{path}: '{field}' must be an integer or a list of integers");
        }
    }

    static int RequiredInt(JsonElement root, string name, string path) =>
        OptionalInt(root, name, path) ?? throw new CheckpointException($"{path}: missing required field '{name}'");

    static int? OptionalInt(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
            throw new CheckpointException($"{path}: '{name}' must be an integer, got {v.GetRawText()}");
        return i;
    }

    static double? OptionalDouble(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number) throw new CheckpointException($"{path}: '{name}' must be a number, got {v.GetRawText()}");
        return v.GetDouble();
    }

    static bool? OptionalBool(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new CheckpointException($"{path}: '{name}' must be true or false, got {v.GetRawText()}"),
        };
    }

    internal static string FirstLine(string s) { var i = s.IndexOfAny(['\r', '\n']); return i < 0 ? s : s[..i]; }
}
