using System.Text.Json;
using KvGrid.IfEval.Checkers;

namespace KvGrid.IfEval.Data;

/// <summary>One chat message of an item.</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>One line of sys_ifeval*.jsonl, with its checkers already bound to their kwargs.</summary>
public sealed record SysIfEvalItem(
    long Key,
    string Prompt,
    IReadOnlyList<string> InstructionIds,
    IReadOnlyList<IReadOnlyDictionary<string, JsonElement>> Kwargs,
    IReadOnlyList<ChatMessage> Messages,
    IReadOnlyList<IInstructionChecker> Checkers);

/// <summary>
/// Loader of the paper's SystemCheck-style IFEval file (sys_ifeval.jsonl): key, prompt,
/// instruction_id_list, kwargs, messages. Blank lines are skipped; anything malformed (bad JSON,
/// missing or ill-typed field, unknown instruction id, kwargs a checker refuses) throws
/// <see cref="IfEvalFormatException"/> naming the file and line.
/// </summary>
public static class SysIfEvalDataset
{
    public static IReadOnlyList<SysIfEvalItem> Load(string path)
    {
        string name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new IfEvalFormatException($"{name}: file not found ({path})");
        using var reader = new StreamReader(path);
        return Read(reader, name);
    }

    public static IReadOnlyList<SysIfEvalItem> Read(TextReader reader, string sourceName)
    {
        var items = new List<SysIfEvalItem>();
        int lineNumber = 0;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            using var doc = JsonlLine.Parse(sourceName, lineNumber, text);
            var line = new JsonlLine(sourceName, lineNumber, doc.RootElement);
            var keyEl = line.Required("key");
            if (keyEl.ValueKind != JsonValueKind.Number || !keyEl.TryGetInt64(out long key)) throw line.Error("'key' must be an integer");
            string prompt = line.RequiredString("prompt");
            var ids = line.InstructionIds();
            var kwargs = line.Kwargs(ids.Count);
            var messages = Messages(line);
            items.Add(new SysIfEvalItem(key, prompt, ids, kwargs, messages, line.Checkers(ids, kwargs)));
        }
        return items;
    }

    private static List<ChatMessage> Messages(JsonlLine line)
    {
        var v = line.Required("messages");
        if (v.ValueKind != JsonValueKind.Array) throw line.Error("'messages' must be a list");
        var list = new List<ChatMessage>();
        int i = 0;
        foreach (var m in v.EnumerateArray())
        {
            if (m.ValueKind != JsonValueKind.Object
                || !m.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                || !m.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                throw line.Error($"messages[{i}] must be an object with string 'role' and 'content'");
            list.Add(new ChatMessage(role.GetString()!, content.GetString()!));
            i++;
        }
        return list;
    }
}
