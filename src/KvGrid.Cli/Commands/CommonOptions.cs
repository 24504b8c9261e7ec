using System.CommandLine;
using System.Text.Json;
using KvGrid.Engine;
using KvGrid.Engine.Tokenization;
using static TorchSharp.torch;

namespace KvGrid.Cli.Commands;

/// <summary>Options shared by commands that load a model, and small input parsers.</summary>
public sealed class ModelOptions
{
    public readonly Option<string> Model = new("--model") { Description = "HF model folder (config.json, safetensors, tokenizer.json)", Required = true };
    public readonly Option<string?> Device = new("--device") { Description = "cpu | cuda | cuda:N (default cpu)" };
    public readonly Option<string?> DType = new("--dtype") { Description = "float32 | bfloat16 | float16 (default: float32 on CPU, bfloat16 on CUDA)" };

    public void AddTo(Command c) { c.Add(Model); c.Add(Device); c.Add(DType); }

    public LanguageModel Load(ParseResult p)
    {
        var device = TorchRuntime.ParseDevice(p.GetValue(Device));
        var dtype = TorchRuntime.ParseDType(p.GetValue(DType), device);
        return LanguageModel.Load(p.GetValue(Model)!, device, dtype);
    }
}

public static class InputParsing
{
    public static int[] ParseIds(string text, string what)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ids = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out ids[i]))
                throw new KvGridException($"{what}: '{parts[i]}' (item {i + 1}) is not an integer id");
        if (ids.Length == 0) throw new KvGridException($"{what}: no ids given");
        return ids;
    }

    public static IReadOnlyList<ChatMessage> ReadChatFile(string path)
    {
        if (!File.Exists(path)) throw new KvGridException($"{path}: not found");
        try { return ParseChat(JsonDocument.Parse(File.ReadAllText(path)).RootElement, path); }
        catch (JsonException e) { throw new KvGridException($"{path}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {e.Message.Split('\n')[0]}"); }
    }

    public static IReadOnlyList<ChatMessage> ParseChat(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new KvGridException($"{where}: a chat is a JSON array of {{\"role\",\"content\"}} objects");
        var list = new List<ChatMessage>();
        int i = 0;
        foreach (var m in e.EnumerateArray())
        {
            if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("role", out var r) || r.ValueKind != JsonValueKind.String
                || !m.TryGetProperty("content", out var c) || c.ValueKind != JsonValueKind.String)
                throw new KvGridException($"{where}: message {i}: needs string 'role' and 'content'");
            list.Add(new ChatMessage(r.GetString()!, c.GetString()!));
            i++;
        }
        return list;
    }

    /// <summary>Reads a JSON Lines file, yielding (line number, object); blank lines are skipped.</summary>
    public static IEnumerable<(int Line, JsonElement Item)> ReadJsonl(string path)
    {
        if (!File.Exists(path)) throw new KvGridException($"{path}: not found");
        int n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement e;
            try { e = JsonDocument.Parse(line).RootElement; }
            catch (JsonException ex) { throw new KvGridException($"{path}:{n}: invalid JSON: {ex.Message.Split('\n')[0]}"); }
            if (e.ValueKind != JsonValueKind.Object) throw new KvGridException($"{path}:{n}: expected a JSON object");
            yield return (n, e);
        }
    }

    public static int[] IdsFromJson(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new KvGridException($"{where}: 'ids' must be an array of integers");
        return e.EnumerateArray().Select((x, i) => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var v) ? v
            : throw new KvGridException($"{where}: ids[{i}] is not an integer")).ToArray();
    }
}
