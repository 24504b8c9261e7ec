using KvGrid.Contracts;
using System.Text.RegularExpressions;
using KvGrid.Sweeps.Catalogs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KvGrid.Sweeps.Spec;

/// <summary>
/// Turns spec YAML into a <see cref="SweepSpec"/>: structure, types, names and ranges. Checks that need the data
/// (defense and category names, item keys, instruction ids) are <see cref="Inputs.SweepInputs"/>'s.
/// </summary>
internal sealed partial class SpecParser(string source, string baseDirectory, SweepLoadOptions options)
{
    private static readonly string[] TopKeys =
    [
        "name", "description", "benchmark", "models", "data", "system_prompts", "defenses", "attacks", "presses",
        "remedies", "ratios", "decoding", "repetitions", "synthetic",
    ];

    private static readonly string[] DTypes = ["float32", "bfloat16", "float16"];
    private static readonly string[] Devices = ["cpu", "cuda"];

    /// <summary>dtype when the spec gives none: the shard picks (float32 on CPU, bfloat16 on CUDA).</summary>
    public const string AutoDType = "auto";

    /// <summary>device when the spec gives none: any shard may run the model.</summary>
    public const string AnyDevice = "any";

    public const int MaxRatios = 1000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex SafeName();

    public SweepSpec Parse(string yaml)
    {
        var root = LoadRoot(yaml);
        var top = root.AsMapping(TopKeys);
        var name = top.Require("name");
        var nameText = name.AsNonEmptyString();
        if (!SafeName().IsMatch(nameText))
        {
            throw name.Error($"'{nameText}' must be letters, digits, '.', '_' or '-' (it names files and metrics)");
        }

        var benchmarkNode = top.Require("benchmark");
        var benchmark = ParseBenchmark(benchmarkNode);
        RejectInapplicable(top, benchmark);

        return new SweepSpec(
            source,
            baseDirectory,
            nameText,
            benchmark,
            ParseModels(top.Require("models")),
            ParseData(top.Get("data"), benchmark, benchmarkNode),
            benchmark == BenchmarkKind.Synthetic ? null : ParseSystemPrompts(top.Get("system_prompts"), root),
            ParseDefenses(top.Get("defenses"), benchmark, benchmarkNode),
            benchmark == BenchmarkKind.Raccoon ? ParseAttacks(top.Get("attacks"), root) : null,
            ParsePresses(top.Require("presses")),
            ParseRemedies(top.Get("remedies"), root),
            RatioParser.Parse(top.Require("ratios")),
            ParseDecoding(top.Get("decoding"), benchmark),
            top.Get("repetitions")?.AsInt(1, 1000) ?? 1,
            benchmark == BenchmarkKind.Synthetic ? ParseSynthetic(top.Require("synthetic")) : null);
    }

    private SpecNode LoadRoot(string yaml)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(yaml)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var message = StripYamlLocation(e.Message);
            var at = message.Contains("tab", StringComparison.Ordinal) && FirstTabIndent(yaml) is { } tab ? tab : SpecNode.PositionOf(e.Start);
            throw new SweepSpecException(source, at, "YAML syntax error: " + message, e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner can fail without a position (e.g. an unclosed '[' before the next key):
            // report it just after the last node that parsed.
            throw new SweepSpecException(source, SpecNode.PositionOf(parser.LastEnd),
                "YAML syntax error: cannot parse what follows here (an unclosed bracket or quote?)", e);
        }

        if (stream.Documents.Count == 0)
        {
            throw new SweepSpecException(source, SpecPosition.Start, "the spec is empty");
        }

        if (stream.Documents.Count > 1)
        {
            throw new SweepSpecException(source, SpecNode.PositionOf(stream.Documents[1].RootNode.Start),
                "a spec is one YAML document (found a second one)");
        }

        var root = new SpecNode(stream.Documents[0].RootNode, "", source);
        return root.IsMapping ? root : throw root.Error($"the spec must be a mapping of sections, not {root.Describe()}");
    }

    // YamlDotNet places tab-indentation errors at the start of the stream; the first tab-indented line is the culprit.
    private static SpecPosition? FirstTabIndent(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indent)
            {
                return new SpecPosition(i + 1, tab + 1);
            }
        }

        return null;
    }

    /// <summary>Remembers where the last parsing event ended, for errors the scanner raises without a position.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark LastEnd { get; private set; } = Mark.Empty;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (inner.Current is { } current)
            {
                LastEnd = current.End;
            }

            return inner.MoveNext();
        }
    }

    // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; the position is ours to print.
    private static string StripYamlLocation(string message) =>
        Regex.Replace(message, @"^\(Line: [^)]*\) - \(Line: [^)]*\): ", "");

    private static BenchmarkKind ParseBenchmark(SpecNode node)
    {
        var text = node.AsString();
        return text switch
        {
            BenchmarkNames.Raccoon => BenchmarkKind.Raccoon,
            BenchmarkNames.SysIfEval => BenchmarkKind.SysIfEval,
            BenchmarkNames.Synthetic => BenchmarkKind.Synthetic,
            _ => throw node.Error($"unknown benchmark '{text}'{Suggestions.Hint(text, BenchmarkNames.All)}"),
        };
    }

    private static void RejectInapplicable(SpecMapping top, BenchmarkKind benchmark)
    {
        string[] notFor = benchmark switch
        {
            BenchmarkKind.Raccoon => ["synthetic"],
            BenchmarkKind.SysIfEval => ["attacks", "synthetic"],
            _ => ["attacks", "system_prompts", "data"],
        };
        foreach (var key in notFor)
        {
            if (top.KeyNode(key) is { } keyNode)
            {
                throw new SweepSpecException(keyNode.Source, keyNode.At,
                    $"'{key}' does not apply to benchmark {BenchmarkNames.Of(benchmark)}");
            }
        }
    }

    private IReadOnlyList<ModelSpec> ParseModels(SpecNode node)
    {
        var entries = node.AsSequence();
        if (entries.Count == 0)
        {
            throw node.Error("list at least one model");
        }

        var models = new List<ModelSpec>();
        foreach (var entry in entries)
        {
            var map = entry.AsMapping(["name", "path", "dtype", "device"]);
            var nameNode = map.Require("name");
            var name = nameNode.AsNonEmptyString();
            if (!SafeName().IsMatch(name))
            {
                throw nameNode.Error($"'{name}' must be letters, digits, '.', '_' or '-'");
            }

            if (models.Any(m => m.Name == name))
            {
                throw nameNode.Error($"duplicate model name '{name}'");
            }

            var dtype = OneOf(map.Get("dtype"), DTypes) ?? AutoDType;
            var device = OneOf(map.Get("device"), Devices) ?? AnyDevice;
            var pathNode = map.Require("path");
            var path = pathNode.AsNonEmptyString();
            string resolved;
            if (options.Roots is { Models.Count: > 0 } roots)
            {
                // A silo with model roots: the folder must lie inside them (the shards read it, and check again; a silo
                // without model roots serves only the model folders configured on it).
                resolved = Path.IsPathRooted(path)
                    ? Path.GetFullPath(path)
                    : PathRoots.Candidates(path, roots.Models).FirstOrDefault(Directory.Exists) ?? PathRoots.Candidates(path, roots.Models).FirstOrDefault() ?? path;
                if (!PathRoots.IsInside(resolved, roots.Models))
                {
                    throw pathNode.Error($"model folder '{path}' is outside this silo's model roots ({string.Join(", ", roots.Models)}; configure KvGrid__ModelRoots)");
                }
            }
            else if (options.CheckModelFolders)
            {
                if (ModelFolder.Problem(path, baseDirectory, out resolved) is { } problem)
                {
                    throw pathNode.Error(problem);
                }
            }
            else
            {
                resolved = ModelFolder.Resolve(path, baseDirectory);
            }

            models.Add(new ModelSpec(name, path.Replace('\\', '/'), resolved, dtype, device, entry.At));
        }

        return models;
    }

    private static string? OneOf(SpecNode? node, IReadOnlyList<string> allowed)
    {
        if (node is null)
        {
            return null;
        }

        var value = node.AsString();
        return allowed.Contains(value) ? value : throw node.Error($"'{value}' is not one of {string.Join(", ", allowed)}{Suggestions.Hint(value, allowed)}");
    }

    private static DataSpec ParseData(SpecNode? node, BenchmarkKind benchmark, SpecNode benchmarkNode)
    {
        var map = node?.AsMapping(["system_prompts", "attacks", "defenses"]);
        if (benchmark == BenchmarkKind.SysIfEval && map?.KeyNode("attacks") is { } attacksKey)
        {
            throw new SweepSpecException(attacksKey.Source, attacksKey.At, "'data.attacks' does not apply to benchmark sys_ifeval");
        }

        // Defaults are the paper's files; an omitted entry is reported at the benchmark line that implied it.
        Located<string>? Entry(string key, string? fallback) =>
            map?.Get(key) is { } given ? new Located<string>(given.AsNonEmptyString(), given.At)
            : fallback is null ? null : new Located<string>(fallback, benchmarkNode.At);

        return benchmark switch
        {
            BenchmarkKind.Raccoon => new DataSpec(
                Entry("system_prompts", PinnedNames.SysIfEvalShuffled), Entry("attacks", PinnedNames.RaccoonAttacks), Entry("defenses", PinnedNames.DefenseTemplate)),
            BenchmarkKind.SysIfEval => new DataSpec(
                Entry("system_prompts", PinnedNames.SysIfEval), null, Entry("defenses", PinnedNames.DefenseTemplate)),
            _ => new DataSpec(null, null, null),
        };
    }

    private static SystemPromptSelection ParseSystemPrompts(SpecNode? node, SpecNode root)
    {
        if (node is null)
        {
            return new SystemPromptSelection(null, null, true, root.At);
        }

        var map = node.AsMapping(["count", "keys", "prefix"]);
        var prefix = map.Get("prefix")?.AsBool() ?? true;
        if (map.Has("count") && map.Get("keys") is { } both)
        {
            throw both.Error("give either 'count' or 'keys', not both");
        }

        if (map.Get("count") is { } count)
        {
            var n = count.AsLong();
            if (n < 1)
            {
                throw count.Error($"must be at least 1 (count {n} expands to no contexts)");
            }

            return new SystemPromptSelection((int)Math.Min(n, int.MaxValue), null, prefix, node.At);
        }

        if (map.Get("keys") is { } keysNode)
        {
            var keys = new List<Located<string>>();
            var items = keysNode.AsScalarOrSequence();
            if (items.Count == 0)
            {
                throw keysNode.Error("list at least one key (an empty list expands to no contexts)");
            }

            foreach (var item in items)
            {
                var key = item.AsNonEmptyString();
                if (keys.Any(k => k.Value == key))
                {
                    throw item.Error($"duplicate key '{key}'");
                }

                keys.Add(new Located<string>(key, item.At));
            }

            return new SystemPromptSelection(null, keys, prefix, node.At);
        }

        return new SystemPromptSelection(null, null, prefix, node.At);
    }

    private static IReadOnlyList<Located<string>> ParseDefenses(SpecNode? node, BenchmarkKind benchmark, SpecNode benchmarkNode)
    {
        if (node is null)
        {
            // raccoon: every template of the file (the paper's "all"), resolved when the file is loaded.
            return benchmark switch
            {
                BenchmarkKind.SysIfEval => [new Located<string>(Inputs.DefenseNames.None, benchmarkNode.At)],
                BenchmarkKind.Synthetic => [new Located<string>(Inputs.DefenseNames.Synthetic, benchmarkNode.At)],
                _ => [],
            };
        }

        var names = new List<Located<string>>();
        var items = node.AsScalarOrSequence();
        if (items.Count == 0)
        {
            throw node.Error("list at least one defense (an empty list expands to no contexts)");
        }

        foreach (var item in items)
        {
            var name = item.AsNonEmptyString();
            if (names.Any(n => n.Value == name))
            {
                throw item.Error($"duplicate defense '{name}'");
            }

            names.Add(new Located<string>(name, item.At));
        }

        return names;
    }

    private static AttackSelection ParseAttacks(SpecNode? node, SpecNode root)
    {
        var defaultSets = new List<Located<string>> { new(Benchmarks.Datasets.RaccoonAttacks.SingularSet, (node ?? root).At) };
        if (node is null)
        {
            return new AttackSelection(defaultSets, null, null, root.At);
        }

        var map = node.AsMapping(["sets", "categories", "prompts_per_category"]);
        var sets = map.Get("sets") is { } setsNode ? DistinctNames(setsNode, "attack set") : defaultSets;
        var categories = map.Get("categories") is { } categoriesNode ? DistinctNames(categoriesNode, "category") : null;
        int? perCategory = null;
        if (map.Get("prompts_per_category") is { } perNode)
        {
            var n = perNode.AsLong();
            perCategory = n >= 1 ? (int)Math.Min(n, int.MaxValue) : throw perNode.Error($"must be at least 1 ({n} expands to no turns)");
        }

        return new AttackSelection(sets, categories, perCategory, node.At);
    }

    private static List<Located<string>> DistinctNames(SpecNode node, string what)
    {
        var items = node.AsScalarOrSequence();
        if (items.Count == 0)
        {
            throw node.Error($"list at least one {what} (an empty list expands to nothing)");
        }

        var names = new List<Located<string>>();
        foreach (var item in items)
        {
            var name = item.AsNonEmptyString();
            if (names.Any(n => n.Value == name))
            {
                throw item.Error($"duplicate {what} '{name}'");
            }

            names.Add(new Located<string>(name, item.At));
        }

        return names;
    }

    private static IReadOnlyList<Located<PressRef>> ParsePresses(SpecNode node)
    {
        var entries = node.AsScalarOrSequence();
        if (entries.Count == 0)
        {
            throw node.Error("list at least one press");
        }

        var presses = new List<Located<PressRef>>();
        foreach (var entry in entries)
        {
            var press = PressParser.Parse(entry);
            if (presses.Any(p => p.Value.IdentityKey == press.IdentityKey))
            {
                throw entry.Error($"duplicate press {press.Text}");
            }

            presses.Add(new Located<PressRef>(press, entry.At));
        }

        return presses;
    }

    private static IReadOnlyList<Located<RemedyRef>> ParseRemedies(SpecNode? node, SpecNode root)
    {
        if (node is null)
        {
            return [new Located<RemedyRef>(RemedyRef.None, root.At)];
        }

        var entries = node.AsScalarOrSequence();
        if (entries.Count == 0)
        {
            throw node.Error("list at least one remedy (use none for plain compression)");
        }

        var remedies = new List<Located<RemedyRef>>();
        foreach (var entry in entries)
        {
            var name = entry.AsNonEmptyString();
            var remedy = RemedyCatalog.TryParse(name, out var problem) ?? throw entry.Error(problem!);
            if (remedies.Any(r => r.Value.Canonical == remedy.Canonical))
            {
                throw entry.Error($"duplicate remedy {remedy.Canonical}");
            }

            remedies.Add(new Located<RemedyRef>(remedy, entry.At));
        }

        return remedies;
    }

    private static DecodingRef ParseDecoding(SpecNode? node, BenchmarkKind benchmark)
    {
        // The paper: 1280 new tokens for instruction following, 256 for leakage; greedy; seed 42.
        var maxNewTokens = benchmark == BenchmarkKind.SysIfEval ? 1280 : 256;
        var temperature = 0.0;
        var seed = 42L;
        if (node is not null)
        {
            var map = node.AsMapping(["max_new_tokens", "temperature", "seed"]);
            maxNewTokens = map.Get("max_new_tokens")?.AsInt(1, 1_000_000) ?? maxNewTokens;
            if (map.Get("temperature") is { } t)
            {
                temperature = t.AsDouble();
                if (temperature < 0)
                {
                    throw t.Error($"must be at least 0 (0 = greedy), not {temperature}");
                }
            }

            seed = map.Get("seed")?.AsLong() ?? seed;
        }

        return new DecodingRef(maxNewTokens, temperature, seed);
    }

    private static SyntheticSelection ParseSynthetic(SpecNode node)
    {
        var map = node.AsMapping(["seed", "count"]);
        var seed = map.Require("seed").AsLong(0);
        var countNode = map.Require("count");
        var count = countNode.AsLong();
        if (count < 1)
        {
            throw countNode.Error($"must be at least 1 (count {count} expands to no contexts)");
        }

        return new SyntheticSelection((ulong)seed, (int)Math.Min(count, 100_000), node.At);
    }

    /// <summary>The pinned dataset names used as defaults (kept as strings: names are part of the sweep id).</summary>
    private static class PinnedNames
    {
        public const string SysIfEval = Benchmarks.Fetching.PinnedManifest.SysIfEval;
        public const string SysIfEvalShuffled = Benchmarks.Fetching.PinnedManifest.SysIfEvalShuffled;
        public const string DefenseTemplate = Benchmarks.Fetching.PinnedManifest.DefenseTemplate;
        public const string RaccoonAttacks = Benchmarks.Fetching.PinnedManifest.RaccoonAttacks;
    }
}
