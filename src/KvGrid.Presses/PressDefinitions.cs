using System.Globalization;

namespace KvGrid.Presses;

/// <summary>The value type of a press parameter.</summary>
public enum PressParameterKind { Integer, Number, Boolean }

/// <summary>
/// One press parameter: its type, the value a press uses when none is given (the paper's setting), its lower bound,
/// and whether it must be odd (a pooling kernel centred on each position).
/// </summary>
public sealed record PressParameter(string Name, PressParameterKind Kind, string Default, double Minimum, string Meaning, bool MustBeOdd = false)
{
    /// <summary>What is wrong with a value given as text (CLI flag, batch JSON, spec, stored row), or null.</summary>
    public string? Problem(string value)
    {
        switch (Kind)
        {
            case PressParameterKind.Integer:
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) || integer < Minimum)
                    return $"{Name} must be an integer >= {Minimum.ToString(CultureInfo.InvariantCulture)} (got '{value}')";
                return MustBeOdd && integer % 2 == 0 ? $"{Name} must be odd and >= {Minimum.ToString(CultureInfo.InvariantCulture)} (got {integer})" : null;
            case PressParameterKind.Number:
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && number >= Minimum
                    ? null : $"{Name} must be a number >= {Minimum.ToString(CultureInfo.InvariantCulture)} (got '{value}')";
            default:
                return value is "true" or "false" ? null : $"{Name} must be true or false (got '{value}')";
        }
    }

    /// <summary>A valid value in its canonical spelling (<c>08</c> is <c>8</c>, <c>1e-1</c> is <c>0.1</c>).</summary>
    public string Normalise(string value) => Kind switch
    {
        PressParameterKind.Integer => PressDefinitions.Format(Kind, long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        PressParameterKind.Number => PressDefinitions.Format(Kind, double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)),
        _ => value,
    };
}

/// <summary>
/// A press: its canonical name, parameters, whether its scores come from attention, the method it follows, and whether
/// it is a wrapper (takes an inner press as its first argument).
/// </summary>
public sealed record PressDefinition(string Name, bool UsesAttention, IReadOnlyList<PressParameter> Parameters, string Summary, string Reference, bool IsWrapper = false)
{
    public PressParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}

/// <summary>
/// The presses KvGrid knows: the one list every surface derives from (the compression registry, sweep specs and
/// `sweep plan`, the CLI's flags and help). Defaults are the paper's settings (window 16 as its scripts set for
/// SnapKV/PyramidKV; kvpress's class default is 64). Parameter names are kvpress's dataclass fields.
/// </summary>
public static class PressDefinitions
{
    static readonly PressParameter WindowSize =
        new("window_size", PressParameterKind.Integer, "16", 1, "observation window: the last prompt tokens whose attention scores the keys");

    static readonly PressParameter KernelSize =
        new("kernel_size", PressParameterKind.Integer, "5", 1, "1-D average pooling width over the scores (odd: centred)", MustBeOdd: true);

    public static IReadOnlyList<PressDefinition> All { get; } =
    [
        new("streaming_llm", false, [new("n_sink", PressParameterKind.Integer, "4", 0, "attention-sink tokens kept at the start")],
            "keep the first n_sink tokens and the most recent ones", "StreamingLLM, Xiao et al. 2023, arXiv 2309.17453 (kvpress StreamingLLMPress)"),
        new("knorm", false, [], "keep the keys with the lowest L2 norm", "K-Norm, Devoto et al. 2024, arXiv 2406.11430 (kvpress KnormPress)"),
        new("snapkv", true, [WindowSize, KernelSize], "window queries' attention to each key, pooled",
            "SnapKV, Li et al. 2024, arXiv 2404.14469 (kvpress SnapKVPress)"),
        new("tova", true, [], "last prompt token's attention, averaged over all query heads", "TOVA, Oren et al. 2024, arXiv 2401.06104 (kvpress TOVAPress)"),
        new("observed_attention", true, [], "attention each key receives from all prompt queries (H2O)",
            "H2O, Zhang et al. 2023, arXiv 2306.14048 (kvpress ObservedAttentionPress)"),
        new("pyramidkv", true, [WindowSize, KernelSize, new("beta", PressParameterKind.Integer, "20", 1, "budget slope across layers")],
            "layer-dependent budgets around the same mean, SnapKV scores", "PyramidKV, Cai et al. 2024, arXiv 2406.02069 (kvpress PyramidKVPress)"),
        new("random", false, [new("seed", PressParameterKind.Integer, "42", 0, "random generator seed")],
            "random scores (a baseline)", "kvpress RandomPress"),
    ];

    /// <summary>Other spellings (kvpress-ish names, the fork's strategy names); they resolve to the canonical name, so ids do not depend on them.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["h2o"] = "observed_attention", ["streamingllm"] = "streaming_llm", ["snap"] = "snapkv", ["pyramid"] = "pyramidkv",
    };

    /// <summary>Canonical names, in definition order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToList();

    /// <summary>Every parameter name any press has, in definition order (the CLI's and batch JSON's shorthands).</summary>
    public static IReadOnlyList<string> ParameterNames { get; } = All.SelectMany(p => p.Parameters).Select(p => p.Name).Distinct().ToList();

    /// <summary>Every accepted name: canonical names and aliases.</summary>
    public static IEnumerable<string> AcceptedNames => Names.Concat(Aliases.Keys);

    /// <summary>The press a name or alias denotes (case and surrounding spaces ignored), or null.</summary>
    public static PressDefinition? Find(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        key = Aliases.GetValueOrDefault(key, key);
        return All.FirstOrDefault(p => p.Name == key);
    }

    /// <summary>The parameter values of a press with defaults filled in, as invariant strings, sorted by name.</summary>
    public static IReadOnlyDictionary<string, string> WithDefaults(PressDefinition press, IReadOnlyDictionary<string, string> given)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in press.Parameters)
            values[parameter.Name] = given.TryGetValue(parameter.Name, out var value) ? value : parameter.Default;
        return values;
    }

    /// <summary>Formats a parameter value the way a press's canonical form spells it.</summary>
    public static string Format(PressParameterKind kind, object value) => kind switch
    {
        PressParameterKind.Integer => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        PressParameterKind.Number => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
        _ => (bool)value ? "true" : "false",
    };
}
