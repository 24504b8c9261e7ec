using KvGrid.TestSupport;

namespace KvGrid.Sweeps.Tests;

/// <summary>
/// Builds one-section-per-line specs over the real shared data and a fake model folder, so each test knows the
/// line of every section (section order below = line numbers 1..10 of <see cref="Raccoon"/>).
/// </summary>
public sealed class SpecFixture : IDisposable
{
    public const string Source = "spec.yaml";

    public TempDir Dir { get; } = new();

    public SpecFixture()
    {
        ModelPath = Dir["model"];
        Directory.CreateDirectory(ModelPath);
        foreach (var file in new[] { "config.json", "tokenizer.json", "model.safetensors" })
        {
            File.WriteAllText(Path.Combine(ModelPath, file), "{}");
        }
    }

    public string ModelPath { get; }

    public static string Data(string relative) => Path.Combine(TestPaths.SharedData, relative);

    public static string ShuffledItems => Data("sys_ifeval/sys_ifeval_shuffled.jsonl");
    public static string Items => Data("sys_ifeval/sys_ifeval.jsonl");
    public static string Attacks => Data("raccoon/attacks");
    public static string Defenses => Data("raccoon/defense_template.json");

    /// <summary>A raccoon spec, one section per line: 1 name, 2 benchmark, 3 models, 4 data, 5 system_prompts,
    /// 6 defenses, 7 attacks, 8 presses, 9 remedies, 10 ratios, then <paramref name="extra"/> lines.</summary>
    public string Raccoon(
        string? models = null, string? data = null, string systemPrompts = "system_prompts: { count: 2 }",
        string defenses = "defenses: [standard_defense, flipped_defense, no_defense]",
        string attacks = "attacks: { categories: [Plain, Translation] }", string presses = "presses: [knorm]",
        string remedies = "remedies: [none]", string ratios = "ratios: [0.0, 0.5]", params string[] extra) =>
        Lines([
            "name: t",
            "benchmark: raccoon",
            models ?? $"models: [{{ name: m, path: \"{ModelPath}\" }}]",
            data ?? $"data: {{ system_prompts: \"{ShuffledItems}\", attacks: \"{Attacks}\", defenses: \"{Defenses}\" }}",
            systemPrompts, defenses, attacks, presses, remedies, ratios, .. extra,
        ]);

    /// <summary>A sys_ifeval spec: 1 name, 2 benchmark, 3 models, 4 data, 5 system_prompts, 6 defenses, 7 presses, 8 remedies, 9 ratios.</summary>
    public string SysIfEval(
        string systemPrompts = "system_prompts: { count: 3 }", string defenses = "defenses: [none, standard_defense]",
        string presses = "presses: [knorm]", string remedies = "remedies: [none]", string ratios = "ratios: [0.0, 0.5]", string? data = null) =>
        Lines([
            "name: t",
            "benchmark: sys_ifeval",
            $"models: [{{ name: m, path: \"{ModelPath}\" }}]",
            data ?? $"data: {{ system_prompts: \"{Items}\", defenses: \"{Defenses}\" }}",
            systemPrompts, defenses, presses, remedies, ratios,
        ]);

    /// <summary>A synthetic spec: 1 name, 2 benchmark, 3 models, 4 synthetic, 5 defenses, 6 presses, 7 remedies, 8 ratios.</summary>
    public string Synthetic(
        string synthetic = "synthetic: { seed: 7, count: 3 }", string defenses = "defenses: [synthetic, none]",
        string presses = "presses: [knorm]", string remedies = "remedies: [none]", string ratios = "ratios: [0.0, 0.5]") =>
        Lines([
            "name: t",
            "benchmark: synthetic",
            $"models: [{{ name: m, path: \"{ModelPath}\" }}]",
            synthetic, defenses, presses, remedies, ratios,
        ]);

    private static string Lines(IEnumerable<string> lines) => string.Join("\n", lines.Where(l => l.Length > 0)) + "\n";

    public SweepSpec Parse(string yaml, SweepLoadOptions? options = null) => SweepSpec.Parse(yaml, Source, Dir.Path, options);

    public SweepExpansion Expand(string yaml) => SweepExpander.Expand(Parse(yaml));

    public SweepSpecException Fail(string yaml) => Assert.Throws<SweepSpecException>(() => SweepExpander.Expand(Parse(yaml)));

    /// <summary>"spec.yaml:LINE:COL: " for the first occurrence of <paramref name="token"/> on line <paramref name="line"/>.</summary>
    public static string At(string yaml, int line, string token)
    {
        var text = yaml.Split('\n')[line - 1];
        var column = text.IndexOf(token, StringComparison.Ordinal);
        Assert.True(column >= 0, $"'{token}' not on line {line}: {text}");
        return $"{Source}:{line}:{column + 1}: ";
    }

    public void Dispose() => Dir.Dispose();
}
