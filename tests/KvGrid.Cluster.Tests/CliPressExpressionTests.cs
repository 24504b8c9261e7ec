using System.Globalization;
using KvGrid.Chaos;
using KvGrid.Presses;
using KvGrid.TestSupport;

namespace KvGrid.Cluster.Tests;

/// <summary>
/// `kvgrid press inspect` with press expressions, run as a user runs it: for every press the definitions list, the
/// expression form (`snapkv(window_size=17, kernel_size=7)`, here through a batch file's "press" field) keeps exactly
/// the sets its shorthand flags keep, and every press runs with its defaults (knorm once failed on an implicit seed).
/// </summary>
public sealed class CliPressExpressionTests : IDisposable
{
    readonly TempDir _tmp = new();
    static readonly string Model = Path.Combine(TestPaths.RepoRoot, "models", "tiny-random-llama");
    static readonly string Ids = string.Join(",", Enumerable.Range(1, 40));

    static async Task<(int Code, string Output)> RunCli(params string[] args)
    {
        using var cli = CliProcess.Start("cli", TestPaths.RepoRoot, args);
        int code = await cli.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (code, cli.Output.Trim());
    }

    /// <summary>A valid value other than the default: the next integer (the next odd one for odd-only parameters).</summary>
    static string NonDefault(PressParameter p) =>
        (long.Parse(p.Default, CultureInfo.InvariantCulture) + (p.MustBeOdd ? 2 : 1)).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task EveryPressAsAnExpressionKeepsWhatItsFlagsKeep()
    {
        var presses = PressDefinitions.All.Where(d => !d.IsWrapper).ToList();
        Assert.All(presses.SelectMany(d => d.Parameters), p => Assert.Equal(PressParameterKind.Integer, p.Kind)); // NonDefault assumes integers
        var expressions = presses.Select(d => d.Parameters.Count == 0 ? d.Name
            : $"{d.Name}({string.Join(", ", d.Parameters.Select(p => $"{p.Name}={NonDefault(p)}"))})").ToList();
        var batch = _tmp["batch.jsonl"];
        File.WriteAllLines(batch, expressions.Select(e => $"{{\"ids\":[{Ids}],\"press\":\"{e}\",\"ratio\":0.5}}"));
        var (code, output) = await RunCli("press", "inspect", "--model", Model, "--batch", batch);
        Assert.True(code == 0, output);
        var fromExpressions = output.Split('\n');
        Assert.Equal(presses.Count, fromExpressions.Length);

        for (int i = 0; i < presses.Count; i++)
        {
            var flags = presses[i].Parameters.SelectMany(p => new[] { "--" + p.Name.Replace('_', '-'), NonDefault(p) });
            var (flagCode, fromFlags) = await RunCli(["press", "inspect", "--model", Model, "--ids", Ids, "--ratio", "0.5", "--press", presses[i].Name, .. flags]);
            Assert.True(flagCode == 0, fromFlags);
            Assert.True(fromExpressions[i] == fromFlags, $"{expressions[i]}: the expression and its flags keep different sets");
            if (presses[i].Parameters.Count > 0)
            {
                var (defaultCode, withDefaults) = await RunCli("press", "inspect", "--model", Model, "--ids", Ids, "--ratio", "0.5", "--press", presses[i].Name);
                Assert.True(defaultCode == 0, withDefaults);
                Assert.NotEqual(fromFlags, withDefaults); // the parameters reached the scorer
            }
        }
    }

    [Theory]
    [InlineData("snapkv(window_size=8)", new[] { "--window-size", "9" }, "error: --press: --window-size 9 contradicts the press expression's window_size=8")]
    [InlineData("snapkv(window_size=8, kernel_size=4)", new string[0], "error: --press: press 'snapkv(window_size=8, kernel_size=4)', column 35: press snapkv: kernel_size must be odd and >= 1 (got 4)")]
    [InlineData("knorm", new[] { "--n-sink", "2" }, "error: --press: --n-sink: press knorm has no parameter 'n_sink' (its parameters: none)")]
    public async Task ABadExpressionFailsWithOneLineBeforeTheModelLoads(string press, string[] flags, string expected)
    {
        var (code, output) = await RunCli(["press", "inspect", "--model", "/nonexistent", "--ids", Ids, "--ratio", "0.5", "--press", press, .. flags]);
        Assert.Equal(2, code);
        Assert.Equal(expected, output);
    }

    /// <summary>The docs page, `press list --markdown` and the definitions are one table; the help lists every parameter flag with its default.</summary>
    [Fact]
    public async Task ThePressPageTheListAndTheHelpAreTheDefinitions()
    {
        var page = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "presses.md"));
        Assert.True(page == PressTable.Markdown(), "docs/presses.md is stale: regenerate it with ./kvgrid press list --markdown > docs/presses.md");
        using (var list = CliProcess.Start("cli", TestPaths.RepoRoot, ["press", "list", "--markdown"]))
        {
            Assert.Equal(0, await list.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal(page.Trim(), list.Output.Trim());
        }

        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
        var begin = readme.IndexOf("<!-- remedies:begin -->\n", StringComparison.Ordinal) + "<!-- remedies:begin -->\n".Length;
        var end = readme.IndexOf("<!-- remedies:end -->", StringComparison.Ordinal);
        Assert.True(begin > 30 && end > begin, "README.md has no remedies table between its markers");
        Assert.Equal(RemedyDefinitions.Markdown(), readme[begin..end]);

        var (code, help) = await RunCli("press", "inspect", "--help");
        Assert.True(code == 0, help);
        foreach (var parameter in PressDefinitions.All.SelectMany(d => d.Parameters).DistinctBy(p => p.Name))
        {
            var line = help.Split('\n').SingleOrDefault(l => l.TrimStart().StartsWith("--" + parameter.Name.Replace('_', '-') + " ", StringComparison.Ordinal));
            Assert.True(line is not null, $"--help has no flag for {parameter.Name}:\n{help}");
            Assert.Contains($"(default {parameter.Default})", help);
        }
    }

    public void Dispose() => _tmp.Dispose();
}
