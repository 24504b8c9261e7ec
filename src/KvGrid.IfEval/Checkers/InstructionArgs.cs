using System.Text.Json;

namespace KvGrid.IfEval.Checkers;

/// <summary>
/// Typed access to one instruction's kwargs. Null values count as "not set" (they are dropped, as
/// lm-eval's port of the reference does); a set value the checker does not accept is an error, as
/// the reference's build_description raises TypeError for unexpected keyword arguments.
/// Where the reference would fall back to a random value, this port refuses the input instead,
/// because a random verdict cannot be reproduced.
/// </summary>
public sealed class InstructionArgs
{
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public InstructionArgs(IReadOnlyDictionary<string, JsonElement>? kwargs)
    {
        if (kwargs is null) return;
        foreach (var (k, v) in kwargs)
            if (v.ValueKind != JsonValueKind.Null && v.ValueKind != JsonValueKind.Undefined) _values[k] = v;
    }

    public static InstructionArgs Empty { get; } = new(null);

    public bool Has(string name) => _values.ContainsKey(name);

    public JsonElement? Raw(string name)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var v) ? v : null;
    }

    private static InstructionArgumentException RandomFallback(string name) =>
        new($"'{name}' is required (the reference would draw a random value)");

    /// <summary>An integer; when <paramref name="nonNegative"/>, negative values are refused (the reference would draw a random one).</summary>
    public long Int(string name, bool nonNegative = true)
    {
        var v = Raw(name) ?? throw RandomFallback(name);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
            throw new InstructionArgumentException($"'{name}' must be an integer");
        if (nonNegative && n < 0) throw new InstructionArgumentException($"'{name}' must be >= 0 (the reference would draw a random value for {n})");
        return n;
    }

    public string? OptionalString(string name)
    {
        var v = Raw(name);
        if (v is null) return null;
        if (v.Value.ValueKind != JsonValueKind.String) throw new InstructionArgumentException($"'{name}' must be a string");
        return v.Value.GetString()!;
    }

    public string String(string name) => OptionalString(name) ?? throw RandomFallback(name);

    /// <summary>A non-empty list of strings (the reference draws random words for an empty one).</summary>
    public List<string> StringList(string name)
    {
        var v = Raw(name) ?? throw RandomFallback(name);
        if (v.ValueKind != JsonValueKind.Array) throw new InstructionArgumentException($"'{name}' must be a list of strings");
        var list = new List<string>();
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.String) throw new InstructionArgumentException($"'{name}' must be a list of strings");
            list.Add(e.GetString()!);
        }
        if (list.Count == 0) throw new InstructionArgumentException($"'{name}' must not be empty (the reference would draw random words)");
        return list;
    }

    public Relation Relation(string name)
    {
        var s = String(name);
        return s switch
        {
            "less than" => Checkers.Relation.LessThan,
            "at least" => Checkers.Relation.AtLeast,
            _ => throw new InstructionArgumentException($"'{name}' must be \"less than\" or \"at least\", not \"{s}\""),
        };
    }

    /// <summary>Refuses any set argument that the checker did not read.</summary>
    public void EnsureAllUsed()
    {
        foreach (var k in _values.Keys)
            if (!_used.Contains(k)) throw new InstructionArgumentException($"unexpected argument '{k}'");
    }
}
