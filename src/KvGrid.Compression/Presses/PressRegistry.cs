using System.Globalization;

namespace KvGrid.Compression;

/// <summary>Creates presses by name with string parameters (from CLI flags, JSONL lines or sweep specs).</summary>
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

    /// <summary>Other spellings: kvpress class-ish names and the fork's strategy names.</summary>
    static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["h2o"] = "observed_attention", ["streamingllm"] = "streaming_llm", ["snap"] = "snapkv", ["pyramid"] = "pyramidkv",
    };

    /// <summary>Canonical press names.</summary>
    public static IReadOnlyList<string> Names { get; } = Factories.Keys.ToArray();

    public static string Canonical(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        key = Aliases.GetValueOrDefault(key, key);
        return Factories.ContainsKey(key) ? key
            : throw new CompressionException($"unknown press '{name}' (known: {string.Join(", ", Names)}, h2o)");
    }

    /// <summary>
    /// A press with the given parameters (window_size, kernel_size, n_sink, beta, seed; others keep their defaults).
    /// Unknown press or parameter names and malformed values throw a one-line <see cref="CompressionException"/>.
    /// </summary>
    public static IPressScorer Create(string name, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var canonical = Canonical(name);
        var p = new PressParameters();
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            p = key switch
            {
                "window_size" => p with { WindowSize = Int(key, value, 1) },
                "kernel_size" => p with { KernelSize = Int(key, value, 1) },
                "n_sink" => p with { NSink = Int(key, value, 0) },
                "beta" => p with { Beta = Int(key, value, 1) },
                "seed" => p with { Seed = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s >= 0 ? s
                    : throw new CompressionException($"press {canonical}: seed must be a non-negative integer (got '{value}')") },
                _ => throw new CompressionException($"press {canonical}: unknown parameter '{key}' (known: {string.Join(", ", PressParameters.Names)})"),
            };
        }
        return CreateWith(canonical, p);

        int Int(string key, string value, int min) =>
            int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min ? v
                : throw new CompressionException($"press {canonical}: {key} must be an integer >= {min} (got '{value}')");
    }

    public static IPressScorer CreateWith(string name, PressParameters parameters) => Factories[Canonical(name)](parameters);
}
