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

    /// <summary>
    /// Reads config.json (and generation_config.json for the stop ids, as HF generate does). Every key the engine
    /// uses is validated up front (type, range, and how the keys fit together), so a bad value fails here, naming
    /// the file and the key, rather than later as a tensor shape mismatch or a numerical failure.
    /// </summary>
    public static ModelConfig Load(string modelDir)
    {
        var path = Path.Combine(modelDir, "config.json");
        if (!File.Exists(path)) throw new CheckpointException($"{path}: not found (a model folder needs config.json)");
        var root = JsonFile.Read(path);
        if (root.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{path}: expected a JSON object, got {JsonFile.Show(root)}");
        var config = Parse(root, path);
        var genPath = Path.Combine(modelDir, "generation_config.json");
        if (File.Exists(genPath)) config = ApplyGenerationConfig(config, JsonFile.Read(genPath), genPath);
        return config;
    }

    /// <summary>generation_config.json: its eos_token_id (one id or a list) replaces config.json's, as in HF generate.</summary>
    static ModelConfig ApplyGenerationConfig(ModelConfig config, JsonElement gen, string path)
    {
        if (gen.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{path}: expected a JSON object, got {JsonFile.Show(gen)}");
        OptionalTokenId(gen, "bos_token_id", path, config.VocabSize);
        OptionalTokenId(gen, "pad_token_id", path, config.VocabSize);
        if (gen.TryGetProperty("eos_token_id", out var eos) && eos.ValueKind != JsonValueKind.Null)
            config = config with { EosTokenIds = ReadIdList(eos, path, "eos_token_id", config.VocabSize) };
        return config;
    }

    public static ModelConfig Parse(JsonElement root, string path)
    {
        var arch = ParseArchitecture(root, path);
        int hidden = RequiredPositive(root, "hidden_size", path);
        int heads = RequiredPositive(root, "num_attention_heads", path);
        int kvHeads = OptionalPositive(root, "num_key_value_heads", path) ?? heads;
        int? explicitHeadDim = OptionalPositive(root, "head_dim", path);
        int intermediate = RequiredPositive(root, "intermediate_size", path);
        int layers = RequiredPositive(root, "num_hidden_layers", path);
        int vocab = RequiredPositive(root, "vocab_size", path);
        if (explicitHeadDim is null && hidden % heads != 0)
            throw new CheckpointException($"{path}: hidden_size ({hidden}) is not divisible by num_attention_heads ({heads}); without a 'head_dim' key the head size is hidden_size / num_attention_heads");
        int headDim = explicitHeadDim ?? hidden / heads;
        if (heads % kvHeads != 0) throw new CheckpointException($"{path}: num_attention_heads ({heads}) must be a multiple of num_key_value_heads ({kvHeads})");
        if (headDim % 2 != 0)
            throw new CheckpointException(explicitHeadDim is null
                ? $"{path}: the head size hidden_size / num_attention_heads = {hidden} / {heads} = {headDim} must be even for rotary embeddings"
                : $"{path}: head_dim ({headDim}) must be even for rotary embeddings");
        if (root.TryGetProperty("hidden_act", out var act) && act.ValueKind != JsonValueKind.Null)
        {
            if (act.ValueKind != JsonValueKind.String) throw new CheckpointException($"{path}: 'hidden_act' must be a string, got {JsonFile.Show(act)}");
            if (act.GetString() is var a && a != "silu") throw new CheckpointException($"{path}: hidden_act '{JsonFile.Clean(a)}' is not supported (only silu)");
        }
        bool attentionBias = arch == ModelArchitecture.Llama && (OptionalBool(root, "attention_bias", path) ?? false);
        var config = new ModelConfig
        {
            Architecture = arch,
            HiddenSize = hidden,
            IntermediateSize = intermediate,
            NumLayers = layers,
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = headDim,
            VocabSize = vocab,
            RmsNormEps = OptionalPositiveDouble(root, "rms_norm_eps", path) ?? 1e-6,
            RopeTheta = OptionalPositiveDouble(root, "rope_theta", path) ?? 10000.0,
            RopeScaling = ParseRopeScaling(root, path),
            MaxPositionEmbeddings = OptionalPositive(root, "max_position_embeddings", path) ?? (arch == ModelArchitecture.Qwen2 ? 32768 : 2048),
            TieWordEmbeddings = OptionalBool(root, "tie_word_embeddings", path) ?? false,
            QkvBias = arch == ModelArchitecture.Qwen2 || attentionBias,
            OutputProjBias = attentionBias,
            MlpBias = arch == ModelArchitecture.Llama && (OptionalBool(root, "mlp_bias", path) ?? false),
            BosTokenId = OptionalTokenId(root, "bos_token_id", path, vocab),
            EosTokenIds = root.TryGetProperty("eos_token_id", out var eos) && eos.ValueKind != JsonValueKind.Null ? ReadIdList(eos, path, "eos_token_id", vocab) : [],
            TorchDType = OptionalString(root, "torch_dtype", path),
        };
        return config;
    }

    static ModelArchitecture ParseArchitecture(JsonElement root, string path)
    {
        string? archName = null;
        if (root.TryGetProperty("architectures", out var archs) && archs.ValueKind != JsonValueKind.Null)
        {
            if (archs.ValueKind != JsonValueKind.Array || archs.GetArrayLength() == 0 || archs.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
                throw new CheckpointException($"{path}: 'architectures' must be a non-empty list of class names, got {JsonFile.Show(archs)}");
            archName = archs[0].GetString();
        }
        var modelType = OptionalString(root, "model_type", path);
        ModelArchitecture? fromName = archName switch { "LlamaForCausalLM" => ModelArchitecture.Llama, "Qwen2ForCausalLM" => ModelArchitecture.Qwen2, _ => null };
        ModelArchitecture? fromType = modelType switch { "llama" => ModelArchitecture.Llama, "qwen2" => ModelArchitecture.Qwen2, _ => null };
        if (archName is null && modelType is null) throw new CheckpointException($"{path}: missing required field 'architectures'");
        if (archName is not null && fromName is null || archName is null && fromType is null)
            throw new CheckpointException($"{path}: unsupported architecture '{JsonFile.Clean(archName ?? modelType)}' (supported: LlamaForCausalLM, Qwen2ForCausalLM)");
        if (fromName is { } n && fromType is { } t && n != t)
            throw new CheckpointException($"{path}: architectures '{archName}' and model_type '{modelType}' disagree");
        return fromName ?? fromType!.Value;
    }

    static RopeScaling? ParseRopeScaling(JsonElement root, string path)
    {
        if (!root.TryGetProperty("rope_scaling", out var rs) || rs.ValueKind == JsonValueKind.Null) return null;
        if (rs.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{path}: 'rope_scaling' must be an object or null, got {JsonFile.Show(rs)}");
        string? type = OptionalString(rs, "rope_type", path, "rope_scaling.") ?? OptionalString(rs, "type", path, "rope_scaling.");
        if (type is null) throw new CheckpointException($"{path}: rope_scaling needs 'rope_type' (or 'type')");
        double Factor(string key) => OptionalPositiveDouble(rs, key, path, "rope_scaling.")
            ?? throw new CheckpointException($"{path}: rope_scaling of type {type} needs '{key}'");
        switch (type)
        {
            case "default":
                return null;
            case "llama3":
            {
                double factor = Factor("factor"), low = Factor("low_freq_factor"), high = Factor("high_freq_factor");
                int original = OptionalPositive(rs, "original_max_position_embeddings", path, "rope_scaling.")
                    ?? throw new CheckpointException($"{path}: rope_scaling of type llama3 needs 'original_max_position_embeddings'");
                if (high <= low)
                    throw new CheckpointException($"{path}: rope_scaling.high_freq_factor ({high}) must be greater than rope_scaling.low_freq_factor ({low})");
                return new RopeScaling("llama3", factor, low, high, original);
            }
            case "linear":
                return new RopeScaling("linear", Factor("factor"), 0, 0, 0);
            default:
                throw new CheckpointException($"{path}: rope_scaling type '{JsonFile.Clean(type)}' is not supported (supported: llama3, linear)");
        }
    }

    static IReadOnlyList<int> ReadIdList(JsonElement e, string path, string field, int vocab)
    {
        var items = e.ValueKind switch
        {
            JsonValueKind.Number => [e],
            JsonValueKind.Array => e.EnumerateArray().ToArray(),
            _ => throw new CheckpointException($"{path}: '{field}' must be an integer or a list of integers, got {JsonFile.Show(e)}"),
        };
        var ids = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i].ValueKind != JsonValueKind.Number || !items[i].TryGetInt32(out ids[i]))
                throw new CheckpointException($"{path}: '{field}' must be an integer or a list of integers, got {JsonFile.Show(e)}");
            if (ids[i] < 0 || ids[i] >= vocab)
                throw new CheckpointException($"{path}: '{field}' {ids[i]} is outside the vocabulary [0, {vocab}) of config.json's vocab_size");
        }
        return ids;
    }

    static int? OptionalTokenId(JsonElement root, string name, string path, int vocab)
    {
        var id = OptionalInt(root, name, path);
        if (id is { } i && (i < 0 || i >= vocab))
            throw new CheckpointException($"{path}: '{name}' {i} is outside the vocabulary [0, {vocab}) of config.json's vocab_size");
        return id;
    }

    static int RequiredPositive(JsonElement root, string name, string path)
    {
        if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Null)
            throw new CheckpointException($"{path}: '{name}' must be a positive integer, got null");
        return OptionalPositive(root, name, path) ?? throw new CheckpointException($"{path}: missing required field '{name}'");
    }

    static int? OptionalPositive(JsonElement root, string name, string path, string prefix = "")
    {
        var value = OptionalInt(root, name, path, prefix);
        if (value <= 0) throw new CheckpointException($"{path}: '{prefix}{name}' must be positive, got {value}");
        return value;
    }

    static int? OptionalInt(JsonElement root, string name, string path, string prefix = "")
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
            throw new CheckpointException($"{path}: '{prefix}{name}' must be an integer, got {JsonFile.Show(v)}");
        return i;
    }

    static double? OptionalPositiveDouble(JsonElement root, string name, string path, string prefix = "")
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
            throw new CheckpointException($"{path}: '{prefix}{name}' must be a finite number, got {JsonFile.Show(v)}");
        if (d <= 0) throw new CheckpointException($"{path}: '{prefix}{name}' must be positive, got {JsonFile.Show(v)}");
        return d;
    }

    static string? OptionalString(JsonElement root, string name, string path, string prefix = "")
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) throw new CheckpointException($"{path}: '{prefix}{name}' must be a string, got {JsonFile.Show(v)}");
        return v.GetString();
    }

    static bool? OptionalBool(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new CheckpointException($"{path}: '{name}' must be true or false, got {JsonFile.Show(v)}"),
        };
    }

    internal static string FirstLine(string s) { var i = s.IndexOfAny(['\r', '\n']); return i < 0 ? s : s[..i]; }
}
