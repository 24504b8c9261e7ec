using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using KvGrid.Templating.Runtime.Callables;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime;

/// <summary>
/// Converts caller values (CLR primitives, lists, dictionaries, System.Text.Json trees, delegates) to
/// runtime values, and runtime values back for calls into caller-supplied functions.
/// JSON numbers follow Python's json module: integers stay ints, anything with '.', 'e' or 'E' is a float.
/// </summary>
internal static class ValueConverter
{
    public static object? ToRuntime(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b,
        int i => (long)i,
        long l => l,
        double d => d,
        float f => (double)f,
        decimal m => (double)m,
        short or byte or sbyte or ushort or uint => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : (double)u,
        char c => c.ToString(),
        JsonElement element => FromJson(element),
        JsonNode node => FromJsonNode(node),
        JinjaFunction function => new BuiltinFunction("function", (_, a) => ToRuntime(function(ToPublic(a)))),
        Func<object?[], object?> function => new BuiltinFunction("function", (_, a) => ToRuntime(function(a.Positional.Select(ToPublic).ToArray()))),
        PyDict or PyTuple or Markup or Undefined or Namespace or IPyCallable => value,
        IReadOnlyDictionary<string, object?> dict => FromPairs(dict.Select(p => new KeyValuePair<object?, object?>(p.Key, p.Value)), dict.Count),
        IDictionary<string, object?> dict => FromPairs(dict.Select(p => new KeyValuePair<object?, object?>(p.Key, p.Value)), dict.Count),
        IDictionary dict => FromPairs(dict.Cast<DictionaryEntry>().Select(e => new KeyValuePair<object?, object?>(e.Key, e.Value)), dict.Count),
        IEnumerable sequence => sequence.Cast<object?>().Select(ToRuntime).ToList(),
        _ => throw new TemplateException($"unsupported value of type {value.GetType().Name} in the render context"),
    };

    private static PyDict FromPairs(IEnumerable<KeyValuePair<object?, object?>> pairs, int count)
    {
        var dict = new PyDict(count);
        foreach (var pair in pairs)
            dict.Set(ToRuntime(pair.Key), ToRuntime(pair.Value));
        return dict;
    }

    private static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var dict = new PyDict();
                foreach (var property in element.EnumerateObject())
                    dict.Set(property.Name, FromJson(property.Value));
                return dict;
            case JsonValueKind.Array:
                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                    list.Add(FromJson(item));
                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && element.TryGetInt64(out var integer))
                    return integer;
                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private static object? FromJsonNode(JsonNode node) => node switch
    {
        JsonObject obj => FromPairs(obj.Select(p => new KeyValuePair<object?, object?>(p.Key, p.Value)), obj.Count),
        JsonArray array => array.Select(item => item is null ? null : FromJsonNode(item)).ToList(),
        JsonValue jsonValue when jsonValue.TryGetValue<JsonElement>(out var element) => FromJson(element),
        JsonValue jsonValue => ToRuntime(jsonValue.GetValue<object>()),
        _ => null,
    };

    /// <summary>Runtime value as a caller sees it: dict keys as strings, tuples as arrays, undefined as null.</summary>
    public static object? ToPublic(object? value) => value switch
    {
        PyDict dict => dict.Items.ToDictionary(p => PyText.Str(p.Key), p => ToPublic(p.Value)),
        List<object?> list => list.Select(ToPublic).ToList(),
        PyTuple tuple => tuple.Items.Select(ToPublic).ToArray(),
        PyGenerator generator => generator.Consume().Select(ToPublic).ToList(),
        Markup markup => markup.Value,
        Undefined => null,
        _ => value,
    };

    private static JinjaArguments ToPublic(Arguments arguments) =>
        new(arguments.Positional.Select(ToPublic).ToList(), arguments.Named.ToDictionary(p => p.Key, p => ToPublic(p.Value)));
}
