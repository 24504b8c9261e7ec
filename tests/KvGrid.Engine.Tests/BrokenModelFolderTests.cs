using System.Text;
using System.Text.Json.Nodes;
using KvGrid.Engine.Checkpoints;
using KvGrid.Engine.Modeling;
using KvGrid.TestSupport;
using static TorchSharp.torch;

namespace KvGrid.Engine.Tests;

/// <summary>
/// The fuzzer's view of a model folder: every kind of damage to safetensors headers, shard indexes, config.json,
/// generation_config.json and the tokenizer files ends in one CheckpointException whose single-line message names
/// the file and the key or tensor, through the same LanguageModel.Load the CLI uses. Never an internal error.
/// </summary>
[Collection("models")]
public sealed class BrokenModelFolderTests(TestModels models) : IDisposable
{
    readonly TempDir _tmp = new();

    string CopyModel(string from) => ModelFolderEdits.CopyModel(_tmp, from);

    /// <summary>Loads the folder as `kvgrid generate` does; it must fail with one line naming the file and every given part.</summary>
    static CheckpointException LoadFails(string dir, string file, params string[] parts)
    {
        var e = Assert.Throws<CheckpointException>(() => LanguageModel.Load(dir, CPU, ScalarType.Float32).Dispose());
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        foreach (var p in parts) Assert.True(e.Message.Contains(p, StringComparison.Ordinal), $"\"{p}\" not in: {e.Message}");
        Assert.True(e.Message.Contains(file, StringComparison.Ordinal), $"\"{file}\" not in: {e.Message}");
        return e;
    }

    static (byte[] Header, byte[] Data) Split(string file) => ModelFolderEdits.Split(file);
    static void Join(string file, byte[] header, byte[] data) => ModelFolderEdits.Join(file, header, data);
    static void EditHeaderText(string file, Func<string, string> edit) => ModelFolderEdits.EditHeaderText(file, edit);
    static void EditHeader(string file, Action<JsonObject> edit) => ModelFolderEdits.EditHeader(file, edit);

    static string Single(string dir) => Path.Combine(dir, "model.safetensors");

    static void EditJson(string path, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }

    // ---- the model folder itself ----

    [Fact]
    public void EmptyFolderHoldsNoModel()
    {
        var dir = _tmp["empty"];
        Directory.CreateDirectory(dir);
        LoadFails(dir, dir, "holds no model", "config.json", "*.safetensors");
        Assert.Contains("holds no model", Assert.Throws<CheckpointException>(() => DecoderModel.Load(dir, ScalarType.Float32, CPU)).Message);
    }

    [Fact]
    public void FolderWithOnlyTheTokenizerHoldsNoModel()
    {
        var dir = CopyModel(models.LlamaF32);
        foreach (var f in Directory.GetFiles(dir).Where(f => !Path.GetFileName(f).StartsWith("tokenizer", StringComparison.Ordinal))) File.Delete(f);
        LoadFails(dir, dir, "holds no model");
    }

    [Fact]
    public void MissingFolderOrAFile()
    {
        LoadFails(_tmp["nowhere"], "nowhere", "model folder not found");
        var dir = CopyModel(models.LlamaF32);
        LoadFails(Path.Combine(dir, "config.json"), "config.json", "is a file, not a model folder");
    }

    [Fact]
    public void WeightsWithoutConfigOrConfigWithoutWeights()
    {
        var noConfig = CopyModel(models.LlamaF32);
        File.Delete(Path.Combine(noConfig, "config.json"));
        LoadFails(noConfig, "config.json", "not found");
        var noWeights = CopyModel(models.LlamaF32);
        File.Delete(Single(noWeights));
        LoadFails(noWeights, noWeights, "no model.safetensors or model.safetensors.index.json");
    }

    [Fact]
    public void TokenizerMissing()
    {
        var dir = CopyModel(models.LlamaF32);
        File.Delete(Path.Combine(dir, "tokenizer.json"));
        LoadFails(dir, "tokenizer.json", "not found");
    }

    // ---- safetensors headers ----

    [Theory]
    [InlineData("model.norm.weight")]
    [InlineData("\"F32\"")]
    public void HeaderHoldsInvalidUtf8(string where)
    {
        var dir = CopyModel(models.LlamaF32);
        var (header, data) = Split(Single(dir));
        var text = Encoding.UTF8.GetBytes(where);
        int at = header.AsSpan().IndexOf(text);
        Assert.True(at >= 0);
        header[at + 2] = 0xFF; // inside the tensor name, or inside the first dtype string
        Join(Single(dir), header, data);
        LoadFails(dir, "model.safetensors", "header is not valid UTF-8", $"byte offset {8 + at + 2}");
    }

    [Fact]
    public void HeaderHoldsAnUnpairedSurrogateEscape()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeaderText(Single(dir), t => t.Replace("\"model.norm.weight\"", "\"model.norm.\\ud800weight\""));
        LoadFails(dir, "model.safetensors", "unpaired surrogate");
        dir = CopyModel(models.LlamaF32);
        EditHeaderText(Single(dir), t => t.Replace("\"F32\"", "\"F\\udfff32\""));
        LoadFails(dir, "model.safetensors", "$.", ".dtype is not a valid string (unpaired surrogate escape)");
    }

    [Fact]
    public void GarbageAfterTheLastTensor()
    {
        var dir = CopyModel(models.LlamaF32);
        var (header, data) = Split(Single(dir));
        Join(Single(dir), header, [.. data, .. new byte[40]]);
        LoadFails(dir, "model.safetensors", $"data bytes [{data.Length}, {data.Length + 40})", "belong to no tensor", "after the last tensor");
    }

    [Fact]
    public void GapBetweenTensors()
    {
        var dir = CopyModel(models.LlamaF32);
        string moved = "";
        EditHeader(Single(dir), h =>
        {
            // Move the last tensor 16 bytes up (the data grows by 16 bytes so its end is still inside the file).
            var last = h.Where(kv => kv.Key != "__metadata__").MaxBy(kv => kv.Value!["data_offsets"]![0]!.GetValue<long>());
            moved = last.Key;
            var off = last.Value!["data_offsets"]!.AsArray();
            last.Value["data_offsets"] = new JsonArray(off[0]!.GetValue<long>() + 16, off[1]!.GetValue<long>() + 16);
        });
        var (header, data) = Split(Single(dir));
        Join(Single(dir), header, [.. data, .. new byte[16]]);
        LoadFails(dir, "model.safetensors", "belong to no tensor", "gap between", $"'{moved}'");
    }

    [Fact]
    public void OffsetsDoNotStartAtZero()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Single(dir), h =>
        {
            foreach (var (name, v) in h.Where(kv => kv.Key != "__metadata__").ToList())
            {
                var off = v!["data_offsets"]!.AsArray();
                v["data_offsets"] = new JsonArray(off[0]!.GetValue<long>() + 8, off[1]!.GetValue<long>() + 8);
            }
        });
        var (header, data) = Split(Single(dir));
        Join(Single(dir), header, [.. data, .. new byte[8]]);
        LoadFails(dir, "model.safetensors", "data bytes [0, 8) belong to no tensor", "offsets must start at 0");
    }

    [Fact]
    public void DuplicateTensorName()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeaderText(Single(dir), t =>
        {
            // A second entry for model.norm.weight, repeating the first one's offsets.
            var node = JsonNode.Parse(t)!.AsObject();
            var again = node["model.norm.weight"]!.ToJsonString();
            return t[..^1] + ",\"model.norm.weight\":" + again + "}";
        });
        LoadFails(dir, "model.safetensors", "header lists tensor 'model.norm.weight' twice");
    }

    [Theory]
    [InlineData("[\"0\", 256]")]
    [InlineData("[0, null]")]
    [InlineData("[0.5, 256]")]
    [InlineData("[true, false]")]
    [InlineData("\"0-256\"")]
    [InlineData("[0]")]
    [InlineData("[256, 0]")]
    [InlineData("[-256, 0]")]
    public void DataOffsetsNotTwoIntegers(string offsets)
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Single(dir), h => h["model.norm.weight"]!["data_offsets"] = JsonNode.Parse(offsets));
        LoadFails(dir, "model.safetensors", "'model.norm.weight'", "data_offsets");
    }

    [Theory]
    [InlineData("dtype", null, "missing 'dtype'")]
    [InlineData("dtype", "32", "'dtype' must be a string")]
    [InlineData("shape", null, "missing 'shape'")]
    [InlineData("shape", "64", "'shape' must be an array")]
    [InlineData("shape", "[64.0]", "non-negative integers")]
    [InlineData("shape", "[-64]", "non-negative integers")]
    [InlineData("shape", "[\"64\"]", "non-negative integers")]
    [InlineData("shape", "[4294967296, 4294967296, 0]", "is too large")]
    [InlineData("shape", "[4611686018427387904]", "is too large")]
    [InlineData("data_offsets", null, "missing 'data_offsets'")]
    public void BadTensorEntry(string field, string? json, string expected)
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Single(dir), h =>
        {
            var entry = h["model.norm.weight"]!.AsObject();
            if (json is null) entry.Remove(field); else entry[field] = JsonNode.Parse(json);
        });
        LoadFails(dir, "model.safetensors", "'model.norm.weight'", expected);
    }

    [Fact]
    public void EntryNotAnObjectAndHeaderNotAnObject()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Single(dir), h => h["model.norm.weight"] = 5);
        LoadFails(dir, "model.safetensors", "'model.norm.weight'", "entry must be an object");
        var (_, data) = Split(Single(dir));
        Join(Single(dir), "[1, 2]  "u8.ToArray(), data);
        LoadFails(dir, "model.safetensors", "header must be a JSON object");
    }

    [Theory]
    [InlineData("5")]
    [InlineData("\"pt\"")]
    [InlineData("[]")]
    [InlineData("{\"format\": 1}")]
    [InlineData("{\"format\": {\"nested\": \"x\"}}")]
    public void MetadataOfTheWrongType(string json)
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Single(dir), h => h["__metadata__"] = JsonNode.Parse(json));
        LoadFails(dir, "model.safetensors", "__metadata__");
    }

    [Fact]
    public void HeaderPaddedWithSpacesAndNullMetadataLoad()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Single(dir), h => h["__metadata__"] = null);
        var (header, data) = Split(Single(dir));
        Join(Single(dir), [.. header, .. Enumerable.Repeat((byte)' ', 64)], data);
        using var lm = LanguageModel.Load(dir, CPU, ScalarType.Float32);
        Assert.Equal(3, lm.Model.Config.NumLayers);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    [InlineData(200L * 1024 * 1024)]
    public void HeaderLengthNotPlausible(long length)
    {
        var dir = CopyModel(models.LlamaF32);
        var bytes = File.ReadAllBytes(Single(dir));
        BitConverter.GetBytes(length).CopyTo(bytes, 0);
        File.WriteAllBytes(Single(dir), bytes);
        LoadFails(dir, "model.safetensors", "header length");
    }

    [Fact]
    public void ControlCharactersInATensorNameStayOnOneLine()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Single(dir), h => h["evil\nname\r"] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(0), ["data_offsets"] = new JsonArray(0, 0) });
        LoadFails(dir, "model.safetensors", "unexpected tensor 'evil\\u000aname\\u000d'");
    }

    // ---- sharded checkpoints ----

    string Index(string dir) => Path.Combine(dir, "model.safetensors.index.json");

    [Fact]
    public void ShardIndexNotJsonOrWrongShape()
    {
        var dir = CopyModel(models.LlamaSharded);
        File.WriteAllText(Index(dir), "{\"weight_map\": {");
        LoadFails(dir, "model.safetensors.index.json:1: invalid JSON");
        File.WriteAllText(Index(dir), "[]");
        LoadFails(dir, "model.safetensors.index.json", "expected a JSON object");
        File.WriteAllText(Index(dir), "{\"metadata\": {}}");
        LoadFails(dir, "model.safetensors.index.json", "missing 'weight_map'");
        File.WriteAllText(Index(dir), "{\"weight_map\": [\"a\"]}");
        LoadFails(dir, "model.safetensors.index.json", "'weight_map' must be an object");
        File.WriteAllText(Index(dir), "{\"weight_map\": {}}");
        LoadFails(dir, "model.safetensors.index.json", "'weight_map' is empty");
    }

    [Theory]
    [InlineData("5")]
    [InlineData("null")]
    [InlineData("[\"model-00001-of-00003.safetensors\"]")]
    [InlineData("\"\"")]
    [InlineData("\"../model-00001-of-00003.safetensors\"")]
    [InlineData("\"..\"")]
    public void ShardNameNotAFileName(string json)
    {
        var dir = CopyModel(models.LlamaSharded);
        EditJson(Index(dir), root => root["weight_map"]!["model.norm.weight"] = JsonNode.Parse(json));
        LoadFails(dir, "model.safetensors.index.json", "tensor 'model.norm.weight'", "shard file name");
    }

    [Fact]
    public void ShardMissingOrTensorAbsentFromItsShard()
    {
        var dir = CopyModel(models.LlamaSharded);
        EditJson(Index(dir), root => root["weight_map"]!["model.norm.weight"] = "model-00009-of-00003.safetensors");
        LoadFails(dir, "model.safetensors.index.json", "tensor 'model.norm.weight'", "shard file 'model-00009-of-00003.safetensors' not found");

        dir = CopyModel(models.LlamaSharded);
        var map = JsonNode.Parse(File.ReadAllText(Index(dir)))!["weight_map"]!.AsObject();
        var home = map["model.norm.weight"]!.GetValue<string>();
        var other = map.Select(kv => kv.Value!.GetValue<string>()).First(s => s != home);
        EditJson(Index(dir), root => root["weight_map"]!["model.norm.weight"] = other);
        LoadFails(dir, other, "tensor 'model.norm.weight' not found", "the index lists it in this shard");
    }

    [Fact]
    public void TensorInTwoShards()
    {
        var dir = CopyModel(models.LlamaSharded);
        var map = JsonNode.Parse(File.ReadAllText(Index(dir)))!["weight_map"]!.AsObject();
        var home = map["model.norm.weight"]!.GetValue<string>();
        var other = map.Select(kv => kv.Value!.GetValue<string>()).First(s => s != home);
        // Give the other shard a copy of model.norm.weight (appended at the end of its data).
        var shard = Path.Combine(dir, other);
        var (header, data) = Split(shard);
        EditHeader(shard, h => h["model.norm.weight"] = new JsonObject
        {
            ["dtype"] = "F32", ["shape"] = new JsonArray(64), ["data_offsets"] = new JsonArray(data.Length, data.Length + 256),
        });
        (header, data) = Split(shard);
        Join(shard, header, [.. data, .. new byte[256]]);
        LoadFails(dir, "model.norm.weight", "a tensor must be in one shard", home, other);
    }

    [Fact]
    public void ShardTensorNotInTheIndex()
    {
        var dir = CopyModel(models.LlamaSharded);
        string? dropped = null;
        EditJson(Index(dir), root => { var m = root["weight_map"]!.AsObject(); dropped = m.First().Key; m.Remove(dropped); });
        LoadFails(dir, ".safetensors", $"tensor '{dropped}' is not listed in model.safetensors.index.json");
    }

    [Fact]
    public void ShardsWithoutTheIndex()
    {
        var dir = CopyModel(models.LlamaSharded);
        File.Delete(Index(dir));
        LoadFails(dir, dir, "no model.safetensors or model.safetensors.index.json", "shards need the index");
    }

    // ---- tensors against the architecture ----

    [Fact]
    public void MissingTensorNamesTheFile()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Single(dir), h =>
        {
            // Turn the tensor into one with a different name (same bytes, so the data stays covered).
            var entry = h["model.layers.2.mlp.down_proj.weight"]!.DeepClone();
            h.Remove("model.layers.2.mlp.down_proj.weight");
            h["model.layers.2.mlp.down_proj.weight_renamed"] = entry;
        });
        LoadFails(dir, "model.safetensors", "missing tensor 'model.layers.2.mlp.down_proj.weight'");
        var sharded = CopyModel(models.LlamaSharded);
        var index = Index(sharded);
        var map = JsonNode.Parse(File.ReadAllText(index))!["weight_map"]!.AsObject();
        var shard = Path.Combine(sharded, map["model.norm.weight"]!.GetValue<string>());
        EditHeader(shard, h => { var e = h["model.norm.weight"]!.DeepClone(); h.Remove("model.norm.weight"); h["model.norm.weight2"] = e; });
        EditJson(index, root => { var m = root["weight_map"]!.AsObject(); var f = m["model.norm.weight"]!.GetValue<string>(); m.Remove("model.norm.weight"); m["model.norm.weight2"] = f; });
        LoadFails(sharded, "model.safetensors.index.json", "missing tensor 'model.norm.weight'");
    }

    [Fact]
    public void HugeLayerCountFailsAtTheFirstMissingLayer()
    {
        var dir = CopyModel(models.LlamaF32);
        EditJson(Path.Combine(dir, "config.json"), c => c["num_hidden_layers"] = int.MaxValue);
        LoadFails(dir, "model.safetensors", "missing tensor 'model.layers.3.input_layernorm.weight'");
    }

    [Fact]
    public void TensorOfTheWrongShapeAndUnexpectedTensor()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Single(dir), h => h["model.norm.weight"]!["shape"] = new JsonArray(8, 8));
        LoadFails(dir, "model.safetensors", "tensor 'model.norm.weight' has shape [8, 8], expected [64]");
        dir = CopyModel(models.LlamaF32);
        EditHeader(Single(dir), h => h["model.extra.weight"] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(0), ["data_offsets"] = new JsonArray(0, 0) });
        LoadFails(dir, "model.safetensors", "unexpected tensor 'model.extra.weight'");
    }

    // ---- config.json ----

    /// <summary>Applies edits (a JSON object merged into config.json; the value "$remove" removes a key) and expects the failure to name the keys.</summary>
    void BadConfigCase(string from, string edits, params string[] expected)
    {
        var dir = CopyModel(from);
        EditJson(Path.Combine(dir, "config.json"), cfg =>
        {
            foreach (var (k, v) in JsonNode.Parse(edits)!.AsObject())
                if (v is JsonValue r && r.TryGetValue<string>(out var text) && text == "$remove") cfg.Remove(k); else cfg[k] = v?.DeepClone();
        });
        LoadFails(dir, "config.json", expected);
    }

    [Theory]
    [InlineData("{\"head_dim\":\"$remove\",\"num_attention_heads\":6,\"num_key_value_heads\":2}", "hidden_size (64) is not divisible by num_attention_heads (6)", "head_dim")]
    [InlineData("{\"head_dim\":\"$remove\",\"num_attention_heads\":7,\"num_key_value_heads\":7}", "hidden_size", "num_attention_heads")]
    [InlineData("{\"head_dim\":\"$remove\",\"hidden_size\":40}", "hidden_size / num_attention_heads = 40 / 8 = 5 must be even")]
    [InlineData("{\"hidden_size\":\"64\"}", "'hidden_size' must be an integer, got \"64\"")]
    [InlineData("{\"hidden_size\":64.5}", "'hidden_size' must be an integer, got 64.5")]
    [InlineData("{\"hidden_size\":64.0}", "'hidden_size' must be an integer")]
    [InlineData("{\"hidden_size\":1e2}", "'hidden_size' must be an integer")]
    [InlineData("{\"hidden_size\":true}", "'hidden_size' must be an integer, got true")]
    [InlineData("{\"hidden_size\":[64]}", "'hidden_size' must be an integer")]
    [InlineData("{\"hidden_size\":99999999999}", "'hidden_size' must be an integer")]
    [InlineData("{\"num_hidden_layers\":0}", "'num_hidden_layers' must be positive, got 0")]
    [InlineData("{\"intermediate_size\":-160}", "'intermediate_size' must be positive, got -160")]
    [InlineData("{\"vocab_size\":0}", "'vocab_size' must be positive")]
    [InlineData("{\"vocab_size\":null}", "'vocab_size' must be a positive integer, got null")]
    [InlineData("{\"intermediate_size\":null}", "'intermediate_size'")]
    [InlineData("{\"num_attention_heads\":null}", "'num_attention_heads'")]
    [InlineData("{\"num_key_value_heads\":0}", "'num_key_value_heads' must be positive")]
    [InlineData("{\"num_key_value_heads\":16}", "num_attention_heads (8) must be a multiple of num_key_value_heads (16)")]
    [InlineData("{\"num_key_value_heads\":\"2\"}", "'num_key_value_heads' must be an integer")]
    [InlineData("{\"head_dim\":7}", "head_dim (7) must be even")]
    [InlineData("{\"head_dim\":-8}", "'head_dim' must be positive")]
    [InlineData("{\"head_dim\":false}", "'head_dim' must be an integer")]
    [InlineData("{\"rms_norm_eps\":0}", "'rms_norm_eps' must be positive")]
    [InlineData("{\"rms_norm_eps\":-1e-5}", "'rms_norm_eps' must be positive")]
    [InlineData("{\"rms_norm_eps\":\"1e-5\"}", "'rms_norm_eps' must be a finite number")]
    [InlineData("{\"rms_norm_eps\":1e999}", "$.rms_norm_eps: number 1e999 is out of range")]
    [InlineData("{\"rope_theta\":0}", "'rope_theta' must be positive")]
    [InlineData("{\"rope_theta\":\"500000\"}", "'rope_theta' must be a finite number")]
    [InlineData("{\"max_position_embeddings\":0}", "'max_position_embeddings' must be positive")]
    [InlineData("{\"max_position_embeddings\":\"8192\"}", "'max_position_embeddings' must be an integer")]
    [InlineData("{\"tie_word_embeddings\":\"false\"}", "'tie_word_embeddings' must be true or false")]
    [InlineData("{\"tie_word_embeddings\":0}", "'tie_word_embeddings' must be true or false")]
    [InlineData("{\"attention_bias\":1}", "'attention_bias' must be true or false")]
    [InlineData("{\"mlp_bias\":\"no\"}", "'mlp_bias' must be true or false")]
    [InlineData("{\"hidden_act\":5}", "'hidden_act' must be a string")]
    [InlineData("{\"hidden_act\":\"gelu\"}", "hidden_act 'gelu' is not supported")]
    [InlineData("{\"torch_dtype\":16}", "'torch_dtype' must be a string")]
    [InlineData("{\"architectures\":\"LlamaForCausalLM\"}", "'architectures' must be a non-empty list")]
    [InlineData("{\"architectures\":[]}", "'architectures' must be a non-empty list")]
    [InlineData("{\"architectures\":[5]}", "'architectures' must be a non-empty list")]
    [InlineData("{\"architectures\":null,\"model_type\":null}", "missing required field 'architectures'")]
    [InlineData("{\"architectures\":null,\"model_type\":\"mistral\"}", "unsupported architecture 'mistral'")]
    [InlineData("{\"model_type\":7}", "'model_type' must be a string")]
    [InlineData("{\"model_type\":\"qwen2\"}", "architectures 'LlamaForCausalLM' and model_type 'qwen2' disagree")]
    [InlineData("{\"bos_token_id\":\"256\"}", "'bos_token_id' must be an integer")]
    [InlineData("{\"bos_token_id\":-1}", "'bos_token_id' -1 is outside the vocabulary [0, 261)")]
    [InlineData("{\"bos_token_id\":261}", "'bos_token_id' 261 is outside the vocabulary")]
    [InlineData("{\"eos_token_id\":99999}", "'eos_token_id' 99999 is outside the vocabulary")]
    [InlineData("{\"eos_token_id\":[257, \"260\"]}", "'eos_token_id' must be an integer or a list of integers")]
    [InlineData("{\"eos_token_id\":{\"id\":257}}", "'eos_token_id' must be an integer or a list of integers")]
    [InlineData("{\"eos_token_id\":1.5}", "'eos_token_id' must be an integer or a list of integers")]
    public void BadLlamaConfig(string edits, params string[] expected) => BadConfigCase(models.LlamaF32, edits, expected);

    [Theory]
    [InlineData("{\"rope_scaling\":5}", "'rope_scaling' must be an object or null")]
    [InlineData("{\"rope_scaling\":{}}", "rope_scaling needs 'rope_type'")]
    [InlineData("{\"rope_scaling\":{\"rope_type\":3}}", "'rope_scaling.rope_type' must be a string")]
    [InlineData("{\"rope_scaling\":{\"type\":\"linear\"}}", "rope_scaling of type linear needs 'factor'")]
    [InlineData("{\"rope_scaling\":{\"type\":\"linear\",\"factor\":0}}", "'rope_scaling.factor' must be positive")]
    [InlineData("{\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":\"8\",\"low_freq_factor\":1,\"high_freq_factor\":4,\"original_max_position_embeddings\":8192}}", "'rope_scaling.factor' must be a finite number")]
    [InlineData("{\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8,\"low_freq_factor\":4,\"high_freq_factor\":4,\"original_max_position_embeddings\":8192}}", "rope_scaling.high_freq_factor (4) must be greater than rope_scaling.low_freq_factor (4)")]
    [InlineData("{\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8,\"low_freq_factor\":1,\"high_freq_factor\":4}}", "needs 'original_max_position_embeddings'")]
    [InlineData("{\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8,\"low_freq_factor\":1,\"high_freq_factor\":4,\"original_max_position_embeddings\":8192.5}}", "'rope_scaling.original_max_position_embeddings' must be an integer")]
    [InlineData("{\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8,\"low_freq_factor\":-1,\"high_freq_factor\":4,\"original_max_position_embeddings\":8192}}", "'rope_scaling.low_freq_factor' must be positive")]
    public void BadRopeScaling(string edits, params string[] expected) => BadConfigCase(models.LlamaF32, edits, expected);

    [Theory]
    [InlineData("{\"head_dim\":\"$remove\",\"num_attention_heads\":6,\"num_key_value_heads\":2}", "hidden_size (64) is not divisible by num_attention_heads (6)")]
    [InlineData("{\"num_key_value_heads\":3}", "must be a multiple of num_key_value_heads (3)")]
    [InlineData("{\"architectures\":[\"Qwen2ForCausalLM\"],\"model_type\":\"llama\"}", "disagree")]
    [InlineData("{\"vocab_size\":\"261\"}", "'vocab_size' must be an integer")]
    public void BadQwenConfig(string edits, params string[] expected) => BadConfigCase(models.QwenF32, edits, expected);

    [Fact]
    public void ConfigTextProblems()
    {
        var dir = CopyModel(models.LlamaF32);
        var path = Path.Combine(dir, "config.json");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text.TrimEnd()[..^1] + ", \"hidden_size\": 64}");
        LoadFails(dir, "config.json", "duplicate key 'hidden_size' in $");
        File.WriteAllText(path, "[1, 2]");
        LoadFails(dir, "config.json", "expected a JSON object");
        File.WriteAllText(path, "");
        LoadFails(dir, "config.json:1: invalid JSON");
        File.WriteAllText(path, text.Replace("\"llama\"", "\"lla\\udc00ma\""));
        LoadFails(dir, "config.json", "$.model_type is not a valid string");
        var bytes = Encoding.UTF8.GetBytes(text.Replace("\"llama\"", "\"llXma\""));
        int at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xC3; // a lead byte without its continuation
        File.WriteAllBytes(path, bytes);
        LoadFails(dir, "config.json", "is not valid UTF-8", $"byte offset {at}");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]); // a BOM is fine
        using var lm = LanguageModel.Load(dir, CPU, ScalarType.Float32);
    }

    // ---- generation_config.json ----

    [Theory]
    [InlineData("{\"eos_token_id\": ", "generation_config.json:1: invalid JSON")]
    [InlineData("[257]", "expected a JSON object")]
    [InlineData("{\"eos_token_id\": 99999}", "'eos_token_id' 99999 is outside the vocabulary")]
    [InlineData("{\"eos_token_id\": \"257\"}", "'eos_token_id' must be an integer or a list of integers")]
    [InlineData("{\"eos_token_id\": [257, -1]}", "'eos_token_id' -1 is outside the vocabulary")]
    [InlineData("{\"bos_token_id\": \"256\"}", "'bos_token_id' must be an integer")]
    [InlineData("{\"pad_token_id\": 1e9}", "'pad_token_id' must be an integer")]
    [InlineData("{\"eos_token_id\": 257, \"eos_token_id\": 260}", "duplicate key 'eos_token_id'")]
    public void BadGenerationConfig(string json, params string[] expected)
    {
        var dir = CopyModel(models.LlamaF32);
        File.WriteAllText(Path.Combine(dir, "generation_config.json"), json);
        LoadFails(dir, "generation_config.json", expected);
    }

    // ---- tokenizer.json, tokenizer_config.json, the chat template ----

    void EditTokenizer(string dir, Action<JsonObject> edit) => EditJson(Path.Combine(dir, "tokenizer.json"), edit);

    [Fact]
    public void TokenizerJsonNotJsonOrNoModel()
    {
        var dir = CopyModel(models.LlamaF32);
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{\n\"model\": {");
        LoadFails(dir, "tokenizer.json:", "invalid JSON");
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{\"version\": \"1.0\"}");
        LoadFails(dir, "tokenizer.json", "no 'model' object");
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": \"x\", \"merges\": []}}");
        LoadFails(dir, "tokenizer.json", "the tokenizers library cannot load it");
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": \"0\"}, \"merges\": []}}");
        LoadFails(dir, "tokenizer.json", "model.vocab: token 'a' must map to a non-negative integer id");
    }

    [Theory]
    [InlineData("5", "'added_tokens' must be a list")]
    [InlineData("[5]", "added_tokens[0]: must be an object")]
    [InlineData("[{\"id\": \"256\", \"content\": \"<s>\"}]", "added_tokens[0]: 'id' must be a non-negative integer")]
    [InlineData("[{\"id\": -1, \"content\": \"<s>\"}]", "added_tokens[0]: 'id' must be a non-negative integer")]
    [InlineData("[{\"content\": \"<s>\"}]", "added_tokens[0]: 'id' must be a non-negative integer, got nothing")]
    [InlineData("[{\"id\": 256, \"content\": 5}]", "added_tokens[0]: 'content' must be a string")]
    [InlineData("[{\"id\": 256, \"content\": \"<s>\", \"special\": \"yes\"}]", "added_tokens[0]: 'special' must be true or false")]
    public void BadAddedTokens(string json, string expected)
    {
        var dir = CopyModel(models.LlamaF32);
        EditTokenizer(dir, t => t["added_tokens"] = JsonNode.Parse(json));
        LoadFails(dir, "tokenizer.json", expected);
    }

    [Fact]
    public void PostProcessorThatWouldAbortTheProcess()
    {
        // The tokenizers library panics (aborting the process) when it applies these; they must fail at load.
        var dir = CopyModel(models.LlamaF32);
        EditTokenizer(dir, t => t["post_processor"]!["special_tokens"] = new JsonObject());
        LoadFails(dir, "tokenizer.json", "post_processor.single[0]", "special token '<|begin_of_text|>' is not defined");
        dir = CopyModel(models.LlamaF32);
        EditTokenizer(dir, t => t["post_processor"]!["single"]!.AsArray().Add(JsonNode.Parse("{\"Sequence\": {\"id\": \"B\", \"type_id\": 0}}")));
        LoadFails(dir, "tokenizer.json", "post_processor.single[2]", "sequence A");
        dir = CopyModel(models.LlamaF32);
        EditTokenizer(dir, t => t["post_processor"]!["special_tokens"]!["<|begin_of_text|>"]!["tokens"] = new JsonArray());
        LoadFails(dir, "tokenizer.json", "special_tokens['<|begin_of_text|>']", "same length");
        dir = CopyModel(models.LlamaF32);
        EditTokenizer(dir, t => t["post_processor"]!["single"] = new JsonArray());
        LoadFails(dir, "tokenizer.json", "post_processor.single has no Sequence piece");
        dir = CopyModel(models.LlamaF32);
        EditTokenizer(dir, t => t["post_processor"] = new JsonObject { ["type"] = "Sequence", ["processors"] = new JsonArray(t["post_processor"]!.DeepClone()) });
        EditTokenizer(dir, t => t["post_processor"]!["processors"]![0]!["special_tokens"] = new JsonObject());
        LoadFails(dir, "tokenizer.json", "post_processor.processors[0].single[0]");
    }

    [Theory]
    [InlineData("tokenizer.json", "decoder")]          // the tokenizers library aborts the process on this one
    [InlineData("tokenizer.json", "pre_tokenizer")]
    [InlineData("config.json", "initializer_range")]
    [InlineData("tokenizer_config.json", "model_max_length")]
    [InlineData("generation_config.json", "temperature")]
    public void NumberBeyondTheDoubleRange(string file, string key)
    {
        var dir = CopyModel(models.LlamaF32);
        var path = Path.Combine(dir, file);
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        if (root[key] is JsonObject o) o["use_regex"] = "$huge"; else root[key] = "$huge";
        File.WriteAllText(path, root.ToJsonString().Replace("\"$huge\"", "1e999"));
        LoadFails(dir, file, "number 1e999 is out of range", key);
    }

    [Fact]
    public void ContinuingSubwordPrefixLongerThanAMergedToken()
    {
        // The tokenizers library aborts the process building a merge whose second token is shorter than the prefix.
        var dir = CopyModel(models.LlamaF32);
        EditTokenizer(dir, t =>
        {
            var model = t["model"]!.AsObject();
            model["continuing_subword_prefix"] = "64";
            model["merges"] = new JsonArray("a b");
            model["vocab"]!["ab"] = 255;
        });
        LoadFails(dir, "tokenizer.json", "model.merges[0]", "the second token 'b' must start with the continuing_subword_prefix '64'");
    }

    [Fact]
    public void TokenizerIdsBeyondTheModelVocabulary()
    {
        var dir = CopyModel(models.LlamaF32);
        EditTokenizer(dir, t => t["added_tokens"]!.AsArray().Add(new JsonObject
        {
            ["id"] = 5000, ["content"] = "<extra>", ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
        }));
        LoadFails(dir, "tokenizer.json", "added token '<extra>'", "id 5000", "vocab_size 261");
    }

    [Fact]
    public void TokenizerJsonDuplicateKeysAndBadStrings()
    {
        var dir = CopyModel(models.LlamaF32);
        var path = Path.Combine(dir, "tokenizer.json");
        var text = File.ReadAllText(path).TrimEnd();
        File.WriteAllText(path, text[..^1] + ", \"model\": null}");
        LoadFails(dir, "tokenizer.json", "duplicate key 'model'");
        File.WriteAllText(path, text[..^1] + ", \"x\": \"\\ud800\"}");
        LoadFails(dir, "tokenizer.json", "$.x is not a valid string");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(text[..^1] + ", \"x\": \""), 0xFE, .. "\"}"u8]);
        LoadFails(dir, "tokenizer.json", "is not valid UTF-8");
    }

    [Theory]
    [InlineData("{\"chat_template\": ", "tokenizer_config.json:1: invalid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"chat_template\": 5}", "'chat_template' must be a string or a list of named templates")]
    [InlineData("{\"chat_template\": \"{% for m in messages %}{{ m.content }\"}", "chat_template:")]
    [InlineData("{\"chat_template\": \"{% if %}\"}", "chat_template:")]
    [InlineData("{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"x\"}]}", "none is called 'default'")]
    [InlineData("{\"chat_template\": [{\"name\": 5, \"template\": \"x\"}]}", "chat_template[0] must be an object with string 'name' and 'template'")]
    [InlineData("{\"chat_template\": [\"x\"]}", "chat_template[0] must be an object")]
    [InlineData("{\"chat_template\": [{\"name\": \"default\", \"template\": \"{% endfor %}\"}]}", "chat_template:")]
    [InlineData("{\"bos_token\": 5}", "'bos_token' must be a token string or an object with a string 'content'")]
    [InlineData("{\"eos_token\": {\"content\": 5}}", "'eos_token' must be a token string")]
    [InlineData("{\"additional_special_tokens\": \"<x>\"}", "'additional_special_tokens' must be a list")]
    [InlineData("{\"additional_special_tokens\": [5]}", "'additional_special_tokens[0]' must be a token string")]
    [InlineData("{\"clean_up_tokenization_spaces\": \"yes\"}", "'clean_up_tokenization_spaces' must be true or false")]
    [InlineData("{\"chat_template\": \"x\", \"chat_template\": \"y\"}", "duplicate key 'chat_template'")]
    public void BadTokenizerConfig(string json, string expected)
    {
        var dir = CopyModel(models.LlamaF32);
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), json);
        LoadFails(dir, "tokenizer_config.json", expected);
    }

    [Fact]
    public void ChatTemplateThatDoesNotParse()
    {
        var dir = CopyModel(models.LlamaF32);
        File.WriteAllText(Path.Combine(dir, "chat_template.jinja"), "{% for message in messages %}{{ message['content'] }");
        LoadFails(dir, "chat_template.jinja", "chat_template:");
        File.WriteAllText(Path.Combine(dir, "chat_template.jinja"), string.Concat(Enumerable.Repeat("{% if x %}", 100_000)));
        LoadFails(dir, "chat_template.jinja", "chat_template:");
        File.WriteAllText(Path.Combine(dir, "chat_template.jinja"), "{{ " + new string('(', 100_000) + " }}");
        LoadFails(dir, "chat_template.jinja", "chat_template:");
        File.WriteAllBytes(Path.Combine(dir, "chat_template.jinja"), [.. "{{ bos_token }}"u8, 0xC0, 0xAF]);
        LoadFails(dir, "chat_template.jinja", "is not valid UTF-8", "byte offset 15");
    }

    [Fact]
    public void CountParametersMatchesTheTensorList()
    {
        foreach (var dir in new[] { models.LlamaF32, models.QwenF32 })
        {
            var c = ModelConfig.Load(dir);
            Assert.Equal(ModelParameters.Expected(c).Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b)), ModelParameters.CountParameters(c));
            var biased = c with { QkvBias = true, OutputProjBias = true, MlpBias = true, TieWordEmbeddings = !c.TieWordEmbeddings };
            Assert.Equal(ModelParameters.Expected(biased).Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b)), ModelParameters.CountParameters(biased));
        }
    }

    public void Dispose() => _tmp.Dispose();
}
