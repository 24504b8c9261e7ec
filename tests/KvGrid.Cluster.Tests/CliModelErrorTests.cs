using System.Text;
using System.Text.Json.Nodes;
using KvGrid.Chaos;
using KvGrid.TestSupport;
using Xunit.Abstractions;

namespace KvGrid.Cluster.Tests;

/// <summary>
/// `kvgrid generate` on broken model folders, as the fuzz corpus runs it: exit code 2 and exactly one line,
/// "error: ..." naming the file and the key or tensor; never "internal error", a stack trace or a native crash.
/// </summary>
public sealed class CliModelErrorTests(ITestOutputHelper output) : IDisposable
{
    readonly TempDir _tmp = new();

    static async Task<(int Code, string Output)> RunCli(params string[] args)
    {
        using var cli = CliProcess.Start("cli", TestPaths.RepoRoot, args);
        int code = await cli.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (code, cli.Output);
    }

    async Task<string> RandomModel(string name, params string[] extra)
    {
        var dir = _tmp[name];
        var (code, text) = await RunCli(["model", "init-random", "--out", dir, "--layers", "2", .. extra]);
        Assert.True(code == 0, text);
        return dir;
    }

    static void RewriteSafetensors(string file, Func<byte[], byte[]> header, Func<byte[], byte[]> data)
    {
        var bytes = File.ReadAllBytes(file);
        long n = BitConverter.ToInt64(bytes, 0);
        var h = header(bytes[8..(int)(8 + n)]);
        var d = data(bytes[(int)(8 + n)..]);
        File.WriteAllBytes(file, [.. BitConverter.GetBytes((long)h.Length), .. h, .. d]);
    }

    [Fact]
    public async Task BrokenModelFoldersFailWithOneErrorLine()
    {
        var cases = new List<(string Dir, string[] Expected)>();

        var utf8 = await RandomModel("bad-utf8");
        RewriteSafetensors(Path.Combine(utf8, "model.safetensors"), h =>
        {
            int at = h.AsSpan().IndexOf("model.norm.weight"u8);
            h[at + 3] = 0xFF;
            return h;
        }, d => d);
        cases.Add((utf8, ["model.safetensors", "not valid UTF-8", "byte offset"]));

        var garbage = await RandomModel("garbage");
        RewriteSafetensors(Path.Combine(garbage, "model.safetensors"), h => h, d => [.. d, .. new byte[40]]);
        cases.Add((garbage, ["model.safetensors", "belong to no tensor", "lm_head.weight"]));

        var offsets = await RandomModel("offsets");
        RewriteSafetensors(Path.Combine(offsets, "model.safetensors"), h =>
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(h))!.AsObject();
            json["model.norm.weight"]!["data_offsets"] = new JsonArray("0", 256);
            return Encoding.UTF8.GetBytes(json.ToJsonString());
        }, d => d);
        cases.Add((offsets, ["model.safetensors", "'model.norm.weight'", "data_offsets"]));

        var qwen = await RandomModel("qwen-heads", "--arch", "qwen2", "--tie-embeddings");
        var configPath = Path.Combine(qwen, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config.Remove("head_dim");
        config["num_attention_heads"] = 6;
        config["num_key_value_heads"] = 2;
        File.WriteAllText(configPath, config.ToJsonString());
        cases.Add((qwen, ["config.json", "hidden_size", "num_attention_heads"]));

        var empty = _tmp["empty"];
        Directory.CreateDirectory(empty);
        cases.Add((empty, ["holds no model", "config.json", "*.safetensors"]));
        cases.Add((_tmp["missing"], ["model folder not found"]));

        foreach (var (dir, expected) in cases)
        {
            var (code, text) = await RunCli("generate", "--model", dir, "--ids", "1,2,3", "--max-new-tokens", "2");
            output.WriteLine(text);
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(code == 2, $"exit code {code}: {text}");
            var line = Assert.Single(lines);
            Assert.StartsWith("error: ", line);
            foreach (var part in expected) Assert.Contains(part, line);
        }
    }

    public void Dispose() => _tmp.Dispose();
}
