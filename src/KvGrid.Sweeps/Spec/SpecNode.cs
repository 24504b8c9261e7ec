using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KvGrid.Sweeps.Spec;

/// <summary>
/// A YAML node with its place in the spec (position and path such as <c>presses[1].window_size</c>), and typed
/// readers that fail with a <see cref="SweepSpecException"/> pointing at the node.
/// </summary>
internal sealed class SpecNode(YamlNode node, string path, string source)
{
    public YamlNode Yaml { get; } = node;

    public string Path { get; } = path;

    public string Source { get; } = source;

    public SpecPosition At { get; } = PositionOf(node.Start);

    public static SpecPosition PositionOf(Mark mark) =>
        new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    public SweepSpecException Error(string detail, Exception? inner = null) =>
        new(Source, At, (Path.Length > 0 ? Path + ": " : "") + detail, inner);

    public bool IsNull => Yaml is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s
        && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public bool IsScalar => Yaml is YamlScalarNode && !IsNull;

    public bool IsMapping => Yaml is YamlMappingNode;

    public bool IsSequence => Yaml is YamlSequenceNode;

    public SpecNode Child(YamlNode child, string name) => new(child, Path.Length == 0 ? name : Path + "." + name, Source);

    /// <summary>A mapping whose keys must all be in <paramref name="allowed"/> (unknown keys fail with a hint).</summary>
    public SpecMapping AsMapping(IReadOnlyCollection<string> allowed)
    {
        if (Yaml is not YamlMappingNode mapping)
        {
            throw Error($"expected a mapping, not {Describe()}");
        }

        var entries = new Dictionary<string, (SpecNode Key, SpecNode Value)>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = new SpecNode(keyNode, Path, Source);
            if (keyNode is not YamlScalarNode { Value: { } name })
            {
                throw key.Error("mapping keys must be plain names");
            }

            if (!allowed.Contains(name))
            {
                var where = Path.Length == 0 ? "" : $" in '{Path}'";
                throw new SweepSpecException(Source, key.At, $"unknown key '{name}'{where}{Suggestions.Hint(name, allowed)}");
            }

            if (entries.ContainsKey(name))
            {
                throw new SweepSpecException(Source, key.At, $"duplicate key '{name}'");
            }

            entries[name] = (key, Child(valueNode, name));
        }

        return new SpecMapping(this, entries);
    }

    public IReadOnlyList<SpecNode> AsSequence()
    {
        if (Yaml is not YamlSequenceNode sequence)
        {
            throw Error($"expected a list, not {Describe()}");
        }

        return sequence.Children.Select((child, i) => new SpecNode(child, $"{Path}[{i}]", Source)).ToList();
    }

    /// <summary>A single scalar or a list of scalars, as strings.</summary>
    public IReadOnlyList<SpecNode> AsScalarOrSequence() => IsSequence ? AsSequence() : [this];

    public string AsString()
    {
        if (Yaml is not YamlScalarNode scalar || IsNull)
        {
            throw Error($"expected a text value, not {Describe()}");
        }

        return scalar.Value ?? "";
    }

    public string AsNonEmptyString()
    {
        var value = AsString();
        return value.Trim().Length > 0 ? value : throw Error("must not be empty");
    }

    public long AsLong(long min = long.MinValue, long max = long.MaxValue)
    {
        var text = PlainNumberText("an integer");
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"must be an integer, not '{text}'");
        }

        if (value < min || value > max)
        {
            throw Error(max == long.MaxValue ? $"must be at least {min}, not {value}" : $"must be between {min} and {max}, not {value}");
        }

        return value;
    }

    public int AsInt(int min = int.MinValue, int max = int.MaxValue) => (int)AsLong(min, max);

    public double AsDouble()
    {
        var text = PlainNumberText("a number");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error($"must be a number, not '{text}'");
        }

        return value;
    }

    public bool AsBool()
    {
        var text = PlainNumberText("true or false");
        return text switch
        {
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => throw Error($"must be true or false, not '{text}'"),
        };
    }

    // Numbers and booleans must be plain scalars: a quoted "16" is text, as YAML's core schema has it.
    private string PlainNumberText(string expected)
    {
        if (Yaml is not YamlScalarNode scalar || IsNull)
        {
            throw Error($"must be {expected}, not {Describe()}");
        }

        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            throw Error($"must be {expected}, not the quoted text '{scalar.Value}'");
        }

        return scalar.Value ?? "";
    }

    public string Describe() => Yaml switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull => "an empty value",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an unsupported node",
    };
}

/// <summary>The entries of a mapping node, looked up by key.</summary>
internal sealed class SpecMapping(SpecNode node, IReadOnlyDictionary<string, (SpecNode Key, SpecNode Value)> entries)
{
    public SpecNode Node { get; } = node;

    public bool Has(string key) => entries.TryGetValue(key, out var e) && !e.Value.IsNull;

    /// <summary>The value of <paramref name="key"/>, or null when absent or empty.</summary>
    public SpecNode? Get(string key) => entries.TryGetValue(key, out var e) && !e.Value.IsNull ? e.Value : null;

    public SpecNode Require(string key) =>
        Get(key) ?? throw (entries.TryGetValue(key, out var e)
            ? e.Value.Error("must not be empty")
            : Node.Error($"missing required key '{key}'"));

    /// <summary>The key node of <paramref name="key"/> (for errors about an entry as a whole).</summary>
    public SpecNode? KeyNode(string key) => entries.TryGetValue(key, out var e) ? e.Key : null;

    public IEnumerable<string> Keys => entries.Keys;
}
