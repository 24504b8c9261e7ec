using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime;

/// <summary>Evaluated call arguments with Python-style binding helpers (by position or by keyword).</summary>
internal sealed class Arguments
{
    private static readonly Dictionary<string, object?> NoNamed = new();

    public static readonly Arguments Empty = new([], NoNamed);

    public Arguments(List<object?> positional, Dictionary<string, object?>? named)
    {
        Positional = positional;
        Named = named ?? NoNamed;
    }

    public List<object?> Positional { get; }

    public Dictionary<string, object?> Named { get; }

    public int Count => Positional.Count;

    /// <summary>The parameter at <paramref name="index"/> or named <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public object? Get(int index, string name, object? fallback = null)
    {
        if (index >= 0 && index < Positional.Count)
        {
            if (Named.ContainsKey(name))
                throw new JinjaRuntimeError($"got multiple values for argument '{name}'");
            return Positional[index];
        }
        return Named.TryGetValue(name, out var value) ? value : fallback;
    }

    public bool Has(int index, string name) => (index >= 0 && index < Positional.Count) || Named.ContainsKey(name);

    public object? Required(int index, string name, string function)
    {
        if (!Has(index, name))
            throw new JinjaRuntimeError($"{function}() missing required argument: '{name}'");
        return Get(index, name);
    }

    /// <summary>Rejects unknown keyword arguments and surplus positional ones, like a Python signature would.</summary>
    public void Check(string function, int maxPositional, params string[] names)
    {
        if (Positional.Count > maxPositional)
            throw new JinjaRuntimeError($"{function}() takes at most {maxPositional} positional argument(s) ({Positional.Count} given)");
        foreach (var key in Named.Keys)
        {
            if (Array.IndexOf(names, key) < 0)
                throw new JinjaRuntimeError($"{function}() got an unexpected keyword argument '{key}'");
        }
    }

    public bool GetBool(int index, string name, bool fallback) => Has(index, name) ? PyTypes.Truthy(Get(index, name)) : fallback;

    public long GetInt(int index, string name, long fallback, string function)
    {
        if (!Has(index, name))
            return fallback;
        var value = Get(index, name);
        return value switch
        {
            long or bool => PyTypes.ToLong(value),
            Undefined u => throw u.Fail(),
            _ => throw new JinjaRuntimeError($"{function}(): '{name}' must be an integer, not {PyTypes.Name(value)}"),
        };
    }

    public string? GetString(int index, string name, string? fallback)
    {
        if (!Has(index, name))
            return fallback;
        var value = Get(index, name);
        return value is null ? fallback : PyText.Str(value);
    }
}
