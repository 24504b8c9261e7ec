using System.Text.Json;
using KvGrid.IfEval.Checkers;

namespace KvGrid.IfEval.Data;

/// <summary>Field access on one JSON Lines record, failing with "file:line: field: problem".</summary>
internal readonly struct JsonlLine(string source, int lineNumber, JsonElement root)
{
    public JsonElement Root => root;

    public IfEvalFormatException Error(string message) => new($"{source}:{lineNumber}: {OneLine(message)}");

    private static string OneLine(string s) => s.Replace("\r", " ").Replace("\n", " ");

    public static JsonDocument Parse(string source, int lineNumber, string line)
    {
        try
        {
            var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new IfEvalFormatException($"{source}:{lineNumber}: expected a JSON object");
            }
            return doc;
        }
        catch (JsonException e)
        {
            throw new IfEvalFormatException($"{source}:{lineNumber}: invalid JSON ({OneLine(e.Message)})");
        }
    }

    public JsonElement Required(string name) =>
        root.TryGetProperty(name, out var v) ? v : throw Error($"missing field '{name}'");

    public string RequiredString(string name)
    {
        var v = Required(name);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error($"'{name}' must be a string");
    }

    /// <summary>The key as given (int or string), validated.</summary>
    public JsonElement Key()
    {
        var v = Required("key");
        if (v.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)) throw Error("'key' must be an integer or a string");
        return v;
    }

    public List<string> InstructionIds()
    {
        var v = Required("instruction_id_list");
        if (v.ValueKind != JsonValueKind.Array) throw Error("'instruction_id_list' must be a list of strings");
        var ids = new List<string>();
        int i = 0;
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.String) throw Error($"instruction_id_list[{i}] must be a string");
            var id = e.GetString()!;
            if (!InstructionRegistry.IsKnown(id)) throw Error($"instruction_id_list[{i}]: unknown instruction id '{id}'");
            ids.Add(id);
            i++;
        }
        return ids;
    }

    public List<IReadOnlyDictionary<string, JsonElement>> Kwargs(int expectedCount)
    {
        var v = Required("kwargs");
        if (v.ValueKind != JsonValueKind.Array) throw Error("'kwargs' must be a list of objects");
        var list = new List<IReadOnlyDictionary<string, JsonElement>>();
        int i = 0;
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.Null) { list.Add(new Dictionary<string, JsonElement>()); i++; continue; }
            if (e.ValueKind != JsonValueKind.Object) throw Error($"kwargs[{i}] must be an object");
            var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in e.EnumerateObject()) d[p.Name] = p.Value.Clone();
            list.Add(d);
            i++;
        }
        if (list.Count != expectedCount)
            throw Error($"'kwargs' has {list.Count} entries but 'instruction_id_list' has {expectedCount}");
        return list;
    }

    public List<IInstructionChecker> Checkers(IReadOnlyList<string> ids, IReadOnlyList<IReadOnlyDictionary<string, JsonElement>> kwargs)
    {
        var checkers = new List<IInstructionChecker>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            try
            {
                checkers.Add(InstructionRegistry.Create(ids[i], kwargs[i]));
            }
            catch (InstructionArgumentException e)
            {
                throw Error($"kwargs[{i}] ({ids[i]}): {e.Message}");
            }
        }
        return checkers;
    }
}
