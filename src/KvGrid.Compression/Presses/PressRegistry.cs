using System.Globalization;
using KvGrid.Presses;

namespace KvGrid.Compression;

/// <summary>
/// Binds each press definition (<see cref="PressDefinitions"/>: names, aliases, parameters and their rules) to its
/// scorer, and creates presses from string parameters (CLI flags, JSONL lines, sweep specs, stored rows). The names,
/// aliases and rules are the definitions'; a test checks that every definition has a scorer and every scorer a
/// definition.
/// </summary>
public static class PressRegistry
{
    static readonly Dictionary<string, Func<PressParameters, IPressScorer>> Factories = new(StringComparer.Ordinal)
    {
        ["streaming_llm"] = p => new StreamingLlmScorer(p),
        ["knorm"] = p => new KnormScorer(p),
        ["snapkv"] = p => new SnapKvScorer(p),
        ["tova"] = p => new TovaScorer(p),
        ["observed_attention"] = p => new ObservedAttentionScorer(p),
        ["pyramidkv"] = p => new PyramidKvScorer(p),
        ["random"] = p => new RandomScorer(p),
    };

    /// <summary>Canonical press names with a scorer.</summary>
    public static IReadOnlyList<string> Names { get; } = Factories.Keys.ToArray();

    public static string Canonical(string name) =>
        PressDefinitions.Find(name) is { } definition && Factories.ContainsKey(definition.Name) ? definition.Name
            : throw new CompressionException($"unknown press '{name}' (known: {string.Join(", ", PressDefinitions.AcceptedNames)})");

    /// <summary>
    /// A press with the given parameters (the others keep their defaults). Unknown press or parameter names and values
    /// outside a parameter's rules throw a one-line <see cref="CompressionException"/>.
    /// </summary>
    public static IPressScorer Create(string name, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var canonical = Canonical(name);
        var definition = PressDefinitions.Find(canonical)!;
        var p = new PressParameters();
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            var parameter = definition.Parameter(key) ?? throw new CompressionException(
                $"press {canonical}: unknown parameter '{key}' (its parameters: {(definition.Parameters.Count == 0 ? "none" : string.Join(", ", definition.Parameters.Select(x => x.Name)))})");
            if (parameter.Problem(value) is { } problem) throw new CompressionException($"press {canonical}: {problem}");
            p = With(p, key, value);
        }
        return Factories[canonical](p);
    }

    /// <summary>The scorer of a press expression (its values are already checked against the definition's rules).</summary>
    public static IPressScorer Create(PressExpression press)
    {
        if (press.Inner is not null) throw new CompressionException($"press {press.Name}: wrappers have no scorer yet");
        return Create(press.Name, press.Given);
    }

    public static IPressScorer CreateWith(string name, PressParameters parameters) => Factories[Canonical(name)](parameters);

    /// <summary>A validated value into the scorers' typed parameters.</summary>
    static PressParameters With(PressParameters p, string key, string value)
    {
        long integer = long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return key switch
        {
            "window_size" => p with { WindowSize = checked((int)integer) },
            "kernel_size" => p with { KernelSize = checked((int)integer) },
            "n_sink" => p with { NSink = checked((int)integer) },
            "beta" => p with { Beta = checked((int)integer) },
            "seed" => p with { Seed = integer },
            _ => throw new InvalidOperationException($"parameter '{key}' has a definition but no field in PressParameters"),
        };
    }
}
