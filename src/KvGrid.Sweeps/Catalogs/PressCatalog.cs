using System.Globalization;

namespace KvGrid.Sweeps.Catalogs;

/// <summary>The value type of a press parameter.</summary>
public enum PressParameterKind { Integer, Number, Boolean }

/// <summary>One press parameter: its type, the value the sweep uses when the spec omits it, and its lower bound.</summary>
public sealed record PressParameter(string Name, PressParameterKind Kind, string Default, double Minimum, string Meaning);

/// <summary>A press a sweep can name: its parameters, and whether its scores come from attention (observation windows).</summary>
public sealed record PressDefinition(string Name, bool UsesAttention, IReadOnlyList<PressParameter> Parameters, string Summary);

/// <summary>
/// The presses a sweep spec may name, with their parameters. The single list of press names in the grid layer; it
/// must agree with the compression layer's registry (<c>PressRegistry.Names</c>), which this project does not
/// reference. Defaults are the paper's settings, filled into every <see cref="KvGrid.Grid.PressRef"/> so that a
/// press is fully described by its canonical form (and <c>snapkv</c> and <c>snapkv(window_size=16)</c> are the same
/// press with the same ids).
/// </summary>
public static class PressCatalog
{
    private static readonly PressParameter WindowSize =
        new("window_size", PressParameterKind.Integer, "16", 1, "observation window: the last prompt tokens whose attention scores the keys");

    private static readonly PressParameter KernelSize =
        new("kernel_size", PressParameterKind.Integer, "5", 1, "1-D average pooling width over the scores");

    public static IReadOnlyList<PressDefinition> All { get; } =
    [
        new("streaming_llm", false, [new("n_sink", PressParameterKind.Integer, "4", 0, "attention-sink tokens kept at the start")],
            "keep the first n_sink tokens and the most recent ones"),
        new("knorm", false, [], "keep the keys with the lowest L2 norm"),
        new("snapkv", true, [WindowSize, KernelSize], "window queries' attention to each key, pooled"),
        new("tova", true, [], "last prompt token's attention, averaged over all query heads"),
        new("observed_attention", true, [], "attention each key receives from all prompt queries (H2O)"),
        new("pyramidkv", true, [WindowSize, KernelSize, new("beta", PressParameterKind.Number, "20", 1e-9, "budget slope across layers")],
            "layer-dependent budgets around the same mean, SnapKV scores"),
        new("random", false, [new("seed", PressParameterKind.Integer, "42", long.MinValue, "random generator seed")],
            "random scores (a baseline)"),
    ];

    /// <summary>Other names accepted for a press; they resolve to the canonical name (so ids do not depend on the alias).</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["h2o"] = "observed_attention",
    };

    /// <summary>Canonical names, in catalog order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToList();

    /// <summary>Every accepted name: canonical names and aliases.</summary>
    public static IEnumerable<string> AcceptedNames => Names.Concat(Aliases.Keys);

    /// <summary>The press a name (or alias) denotes, or null.</summary>
    public static PressDefinition? Find(string name)
    {
        var canonical = Aliases.TryGetValue(name, out var target) ? target : name;
        return All.FirstOrDefault(p => p.Name == canonical);
    }

    /// <summary>The parameter values of a press with defaults filled in, as invariant strings.</summary>
    public static IReadOnlyDictionary<string, string> WithDefaults(PressDefinition press, IReadOnlyDictionary<string, string> given)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in press.Parameters)
        {
            values[parameter.Name] = given.TryGetValue(parameter.Name, out var value) ? value : parameter.Default;
        }

        return values;
    }

    /// <summary>Formats a parameter value the way <see cref="KvGrid.Grid.PressRef.Canonical"/> expects.</summary>
    public static string Format(PressParameterKind kind, object value) => kind switch
    {
        PressParameterKind.Integer => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        PressParameterKind.Number => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
        _ => (bool)value ? "true" : "false",
    };
}
