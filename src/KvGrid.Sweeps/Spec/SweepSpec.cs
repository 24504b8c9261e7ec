using KvGrid.Benchmarks.Fetching;
using KvGrid.Contracts;
using KvGrid.Sweeps.Identity;
using KvGrid.Sweeps.Inputs;

namespace KvGrid.Sweeps;

/// <summary>Which benchmark a sweep runs; <see cref="BenchmarkNames"/> gives the spec and record spelling.</summary>
public enum BenchmarkKind { Raccoon, SysIfEval, Synthetic }

public static class BenchmarkNames
{
    public const string Raccoon = "raccoon";
    public const string SysIfEval = "sys_ifeval";
    public const string Synthetic = "synthetic";

    public static IReadOnlyList<string> All { get; } = [Raccoon, SysIfEval, Synthetic];

    public static string Of(BenchmarkKind kind) => kind switch
    {
        BenchmarkKind.Raccoon => Raccoon,
        BenchmarkKind.SysIfEval => SysIfEval,
        _ => Synthetic,
    };
}

/// <summary>A value of the spec and where it was written.</summary>
public sealed record Located<T>(T Value, SpecPosition At);

/// <summary>A model of the sweep: name, the path as written and as resolved, dtype and device kind.</summary>
public sealed record ModelSpec(string Name, string PathAsWritten, string ResolvedPath, string DType, string Device, SpecPosition At)
{
    public ModelRef ToRef() => new(Name, ResolvedPath, DType, Device);
}

/// <summary>Data arguments (fetched dataset names or local paths), each with its spec position; null when not used.</summary>
public sealed record DataSpec(Located<string>? SystemPrompts, Located<string>? Attacks, Located<string>? Defenses);

/// <summary>Which sys_ifeval items provide system prompts: the first <see cref="Count"/> (all when null), or the listed keys.</summary>
public sealed record SystemPromptSelection(int? Count, IReadOnlyList<Located<string>>? Keys, bool Prefix, SpecPosition At);

/// <summary>Which attack prompts are the user turns: sets, categories (all when null), prompts per category (all when null).</summary>
public sealed record AttackSelection(IReadOnlyList<Located<string>> Sets, IReadOnlyList<Located<string>>? Categories, int? PromptsPerCategory, SpecPosition At);

/// <summary>The synthetic suite: generator seed and number of examples.</summary>
public sealed record SyntheticSelection(ulong Seed, int Count, SpecPosition At);

/// <summary>Options of <see cref="SweepSpec.Load"/>: where fetched datasets live, and whether model folders are checked.</summary>
/// <param name="Roots">On a cluster silo, the only folders spec paths may lead into; null (embedded) reads any local path.</param>
public sealed record SweepLoadOptions(DataCache? DataCache = null, bool CheckModelFolders = true, PathRoots? Roots = null)
{
    public static readonly SweepLoadOptions Default = new();
}

/// <summary>
/// A parsed and validated sweep spec (see <c>examples/sweeps/*.yaml</c> and the README's "Sweep specs" section).
/// Every default is filled in; the data it names is loaded and checked, so <see cref="SweepExpander.Expand"/>
/// cannot fail on a spec that loaded.
/// </summary>
public sealed class SweepSpec
{
    internal SweepSpec(
        string sourceName,
        string baseDirectory,
        string name,
        BenchmarkKind benchmark,
        IReadOnlyList<ModelSpec> models,
        DataSpec data,
        SystemPromptSelection? systemPrompts,
        IReadOnlyList<Located<string>> defenses,
        AttackSelection? attacks,
        IReadOnlyList<Located<PressRef>> presses,
        IReadOnlyList<Located<RemedyRef>> remedies,
        Located<IReadOnlyList<double>> ratios,
        DecodingRef decoding,
        int repetitions,
        SyntheticSelection? synthetic)
    {
        SourceName = sourceName;
        BaseDirectory = baseDirectory;
        Name = name;
        Benchmark = benchmark;
        Models = models;
        Data = data;
        SystemPrompts = systemPrompts;
        Defenses = defenses;
        Attacks = attacks;
        Presses = presses;
        Remedies = remedies;
        Ratios = ratios;
        Decoding = decoding;
        Repetitions = repetitions;
        Synthetic = synthetic;
        Canonical = BuildCanonical();
        SweepId = CanonicalText.HashOf(Canonical);
    }

    /// <summary>The spec file as named in messages.</summary>
    public string SourceName { get; }

    /// <summary>The folder relative paths resolve against first (then the current directory).</summary>
    public string BaseDirectory { get; }

    public string Name { get; }

    public BenchmarkKind Benchmark { get; }

    public string BenchmarkName => BenchmarkNames.Of(Benchmark);

    public IReadOnlyList<ModelSpec> Models { get; }

    public DataSpec Data { get; }

    /// <summary>Null for the synthetic benchmark.</summary>
    public SystemPromptSelection? SystemPrompts { get; }

    public IReadOnlyList<Located<string>> Defenses { get; }

    /// <summary>Raccoon only.</summary>
    public AttackSelection? Attacks { get; }

    public IReadOnlyList<Located<PressRef>> Presses { get; }

    public IReadOnlyList<Located<RemedyRef>> Remedies { get; }

    /// <summary>Ascending, distinct, each in [0, 1).</summary>
    public Located<IReadOnlyList<double>> Ratios { get; }

    public DecodingRef Decoding { get; }

    public int Repetitions { get; }

    /// <summary>Synthetic only.</summary>
    public SyntheticSelection? Synthetic { get; }

    /// <summary>The canonical text of the parsed spec (defaults filled, comments and layout gone).</summary>
    public string Canonical { get; }

    /// <summary>Content-derived: the same parsed spec gives the same id on every machine.</summary>
    public string SweepId { get; }

    /// <summary>The loaded benchmark inputs (set by the loader after validation).</summary>
    internal SweepInputs Inputs { get; set; } = null!;

    /// <summary>Loads, parses and validates a spec file; relative paths resolve against its folder, then the current directory.</summary>
    /// <exception cref="SweepSpecException">Anything wrong with the spec or the data it names (one line, with position).</exception>
    public static SweepSpec Load(string path, SweepLoadOptions? options = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SweepSpecException(path, SpecPosition.Start, "cannot read the spec: " + e.Message, e);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return Parse(text, path, directory, options);
    }

    /// <summary>Parses and validates spec text; <paramref name="sourceName"/> names it in errors.</summary>
    public static SweepSpec Parse(string yaml, string sourceName, string baseDir, SweepLoadOptions? options = null)
    {
        options ??= SweepLoadOptions.Default;
        var spec = new Spec.SpecParser(sourceName, Path.GetFullPath(baseDir), options).Parse(yaml);
        spec.Inputs = SweepInputs.Load(spec, options);
        return spec;
    }

    // Written-as values, not resolved paths: the id must not depend on where the spec or the data sit.
    private string BuildCanonical()
    {
        var c = new CanonicalText()
            .Add("kind", "kvgrid-sweep/1")
            .Add("name", Name)
            .Add("benchmark", BenchmarkName);
        foreach (var m in Models)
        {
            c.Add("model.name", m.Name).Add("model.path", m.PathAsWritten).Add("model.dtype", m.DType).Add("model.device", m.Device);
        }

        c.Add("data.system_prompts", Data.SystemPrompts?.Value)
            .Add("data.attacks", Data.Attacks?.Value)
            .Add("data.defenses", Data.Defenses?.Value);
        if (SystemPrompts is { } sp)
        {
            c.Add("system_prompts.count", sp.Count?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            c.Add("system_prompts.keys", sp.Keys is null ? null : string.Join("\u001f", sp.Keys.Select(k => k.Value)));
            c.Add("system_prompts.prefix", sp.Prefix);
        }

        foreach (var d in Defenses)
        {
            c.Add("defense", d.Value);
        }

        if (Attacks is { } a)
        {
            c.Add("attacks.sets", string.Join("\u001f", a.Sets.Select(s => s.Value)));
            c.Add("attacks.categories", a.Categories is null ? null : string.Join("\u001f", a.Categories.Select(s => s.Value)));
            c.Add("attacks.prompts_per_category", a.PromptsPerCategory?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var p in Presses)
        {
            c.Add("press", p.Value.IdentityKey);
        }

        foreach (var r in Remedies)
        {
            c.Add("remedy", r.Value.IdentityKey);
        }

        foreach (var ratio in Ratios.Value)
        {
            c.Add("ratio", ratio);
        }

        c.Add("decoding", Decoding.Canonical).Add("repetitions", Repetitions);
        if (Synthetic is { } s)
        {
            c.Add("synthetic.seed", s.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)).Add("synthetic.count", s.Count);
        }

        return c.ToString();
    }
}
