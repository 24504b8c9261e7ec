using System.Text;
using System.Text.Json.Nodes;
using KvGrid.Engine.Checkpoints;
using KvGrid.Engine.Modeling;
using KvGrid.TestSupport;
using static TorchSharp.torch;

namespace KvGrid.Engine.Tests;

/// <summary>Every damaged-folder case yields a CheckpointException whose single-line message names the file (and tensor).</summary>
[Collection("models")]
public sealed class CheckpointErrorTests(TestModels models) : IDisposable
{
    readonly TempDir _tmp = new();

    string CopyModel(string from) => ModelFolderEdits.CopyModel(_tmp, from);

    static CheckpointException LoadFails(string dir)
    {
        var e = Assert.Throws<CheckpointException>(() => DecoderModel.Load(dir, ScalarType.Float32, CPU).Dispose());
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    static void EditHeader(string file, Action<JsonObject> edit) => ModelFolderEdits.EditHeader(file, edit);

    [Fact]
    public void TruncatedFile()
    {
        var dir = CopyModel(models.LlamaF32);
        var file = Path.Combine(dir, "model.safetensors");
        var len = new FileInfo(file).Length;
        using (var fs = new FileStream(file, FileMode.Open)) fs.SetLength(len - 100);
        var e = LoadFails(dir);
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("outside the data section", e.Message);
    }

    [Fact]
    public void FileShorterThanTheLengthPrefix()
    {
        var dir = CopyModel(models.LlamaF32);
        File.WriteAllBytes(Path.Combine(dir, "model.safetensors"), [1, 2, 3]);
        Assert.Contains("truncated file", LoadFails(dir).Message);
    }

    [Fact]
    public void HeaderLengthBeyondTheFile()
    {
        var dir = CopyModel(models.LlamaF32);
        var file = Path.Combine(dir, "model.safetensors");
        var bytes = File.ReadAllBytes(file);
        BitConverter.GetBytes((long)bytes.Length).CopyTo(bytes, 0);
        File.WriteAllBytes(file, bytes);
        var e = LoadFails(dir);
        Assert.Contains("header length", e.Message);
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void HeaderNotJson()
    {
        var dir = CopyModel(models.LlamaF32);
        var file = Path.Combine(dir, "model.safetensors");
        var bytes = File.ReadAllBytes(file);
        bytes[8] = (byte)'#';
        File.WriteAllBytes(file, bytes);
        Assert.Contains("not valid JSON", LoadFails(dir).Message);
    }

    [Fact]
    public void OffsetsOutsideTheData()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Path.Combine(dir, "model.safetensors"), h => h["model.norm.weight"]!["data_offsets"] = new JsonArray(0, 1L << 40));
        var e = LoadFails(dir);
        Assert.Contains("'model.norm.weight'", e.Message);
        Assert.Contains("outside the data section", e.Message);
    }

    [Fact]
    public void OverlappingTensors()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Path.Combine(dir, "model.safetensors"), h =>
        {
            var a = h["model.layers.0.input_layernorm.weight"]!["data_offsets"]!.AsArray();
            var b = h["model.layers.1.input_layernorm.weight"]!;
            b["data_offsets"] = new JsonArray(a[0]!.GetValue<long>(), a[1]!.GetValue<long>());
        });
        Assert.Contains("overlap", LoadFails(dir).Message);
    }

    [Fact]
    public void UnknownAndUnsupportedDtypes()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Path.Combine(dir, "model.safetensors"), h => h["model.norm.weight"]!["dtype"] = "F33");
        Assert.Contains("unknown dtype 'F33'", LoadFails(dir).Message);
        EditHeader(Path.Combine(dir, "model.safetensors"), h => h["model.norm.weight"]!["dtype"] = "I64");
        Assert.Contains("dtype I64 is not supported", LoadFails(dir).Message);
    }

    [Fact]
    public void ByteSizeDisagreesWithShape()
    {
        var dir = CopyModel(models.LlamaF32);
        EditHeader(Path.Combine(dir, "model.safetensors"), h => h["model.norm.weight"]!["shape"] = new JsonArray(7));
        var e = LoadFails(dir);
        Assert.Contains("'model.norm.weight'", e.Message);
        Assert.Contains("needs 28", e.Message);
    }

    [Fact]
    public void MissingUnexpectedAndMisshapenTensors()
    {
        using var lm = TestModels.Load(models.LlamaF32);
        var tensors = lm.Model.HfTensors().ToList();

        var missing = _tmp["missing"];
        CopyConfigAndWrite(missing, tensors.Where(t => t.Name != "model.layers.1.mlp.up_proj.weight").ToList());
        Assert.Contains("missing tensor 'model.layers.1.mlp.up_proj.weight'", LoadFails(missing).Message);

        var extra = _tmp["extra"];
        CopyConfigAndWrite(extra, [.. tensors, ("model.layers.0.self_attn.q_proj.bias", zeros(64))]);
        var e = LoadFails(extra);
        Assert.Contains("unexpected tensor 'model.layers.0.self_attn.q_proj.bias'", e.Message);
        Assert.Contains("model.safetensors", e.Message);

        var shape = _tmp["shape"];
        CopyConfigAndWrite(shape, tensors.Select(t => t.Name == "model.norm.weight" ? (t.Name, zeros(65)) : t).ToList());
        Assert.Contains("tensor 'model.norm.weight' has shape [65], expected [64]", LoadFails(shape).Message);

        // rotary inv_freq buffers of older checkpoints are ignored, as HF does.
        var legacy = _tmp["legacy"];
        CopyConfigAndWrite(legacy, [.. tensors, ("model.layers.0.self_attn.rotary_emb.inv_freq", zeros(4))]);
        DecoderModel.Load(legacy, ScalarType.Float32, CPU).Dispose();

        void CopyConfigAndWrite(string dir, IReadOnlyList<(string, Tensor)> list)
        {
            Directory.CreateDirectory(dir);
            File.Copy(Path.Combine(models.LlamaF32, "config.json"), Path.Combine(dir, "config.json"));
            SafetensorsWriter.WriteCheckpoint(dir, list);
        }
    }

    [Fact]
    public void ShardIndexProblems()
    {
        var dir = CopyModel(models.LlamaSharded);
        var index = Path.Combine(dir, "model.safetensors.index.json");
        var root = JsonNode.Parse(File.ReadAllText(index))!.AsObject();
        var map = root["weight_map"]!.AsObject();
        var firstTensor = map.First().Key;
        var firstShard = map[firstTensor]!.GetValue<string>();
        var otherShard = map.Select(kv => kv.Value!.GetValue<string>()).First(s => s != firstShard);

        map[firstTensor] = otherShard;
        File.WriteAllText(index, root.ToJsonString());
        var e = LoadFails(dir);
        Assert.Contains($"tensor '{firstTensor}' not found", e.Message);
        Assert.Contains(otherShard, e.Message);

        map[firstTensor] = firstShard;
        File.WriteAllText(index, root.ToJsonString());
        File.Delete(Path.Combine(dir, otherShard));
        Assert.Contains($"shard file '{otherShard}' not found", LoadFails(dir).Message);
    }

    [Theory]
    [InlineData("hidden_size", null, "missing required field 'hidden_size'")]
    [InlineData("num_hidden_layers", "\"two\"", "'num_hidden_layers' must be an integer")]
    [InlineData("architectures", "[\"MistralForCausalLM\"]", "unsupported architecture 'MistralForCausalLM'")]
    [InlineData("num_key_value_heads", "3", "must be a multiple of num_key_value_heads")]
    [InlineData("rope_scaling", "{\"rope_type\":\"yarn\",\"factor\":4}", "rope_scaling type 'yarn' is not supported")]
    public void BadConfig(string field, string? json, string expected)
    {
        var dir = CopyModel(models.LlamaF32);
        var path = Path.Combine(dir, "config.json");
        var cfg = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        if (json is null) cfg.Remove(field); else cfg[field] = JsonNode.Parse(json);
        File.WriteAllText(path, cfg.ToJsonString());
        var e = LoadFails(dir);
        Assert.Contains("config.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ConfigNotJsonOrMissing()
    {
        var dir = CopyModel(models.LlamaF32);
        File.WriteAllText(Path.Combine(dir, "config.json"), "{\n \"hidden_size\": 64,\n oops }");
        Assert.Contains("config.json:3: invalid JSON", LoadFails(dir).Message);
        File.Delete(Path.Combine(dir, "config.json"));
        Assert.Contains("config.json: not found", LoadFails(dir).Message);
        Assert.Contains("model folder not found", LoadFails(_tmp["does-not-exist"]).Message);
    }

    public void Dispose() => _tmp.Dispose();
}
