using KvGrid.Chaos;
using KvGrid.Results;
using KvGrid.TestSupport;
using Xunit.Abstractions;

namespace KvGrid.Cluster.Tests;

/// <summary>`kvgrid sweep run` as a user runs it: a child process, interrupted with SIGINT, run again, fed bad input.</summary>
[Collection("grid")]
public sealed class EmbeddedTests(GridFixture grid, ITestOutputHelper output)
{
    static async Task<List<KvGrid.Contracts.TrialResult>> RowsAsync(string db)
    {
        var rows = new List<KvGrid.Contracts.TrialResult>();
        if (!File.Exists(db)) return rows;
        await using var store = ResultsStore.Open("sqlite:" + db, mustExist: true);
        await foreach (var r in store.ReadAsync(null, CancellationToken.None)) rows.Add(r);
        return rows;
    }

    [Fact]
    public async Task InterruptedRunResumesToTheFullDuplicateFreeResultSet()
    {
        var spec = grid.WriteSpec("interrupt", count: 10, maxNewTokens: 48);
        var db = Path.Combine(grid.Root, "interrupt.db");
        using (var first = CliProcess.Start("run-1", TestPaths.RepoRoot, "sweep", "run", spec, "--results", "sqlite:" + db, "--no-progress"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while ((await RowsAsync(db)).Count < 8)
            {
                Assert.False(first.HasExited, "the run ended before it could be interrupted:\n" + first.Output);
                Assert.True(DateTime.UtcNow < deadline, "no results appeared:\n" + first.Output);
                await Task.Delay(200);
            }
            first.Signal("INT");
            int code = await first.WaitForExitAsync(TimeSpan.FromSeconds(60));
            output.WriteLine(first.Output);
            Assert.Equal(130, code);
            Assert.Contains("interrupted", first.Output);
        }
        var partial = await RowsAsync(db);
        output.WriteLine($"{partial.Count} rows after the interrupt");

        using var second = CliProcess.Start("run-2", TestPaths.RepoRoot, "sweep", "run", spec, "--results", "sqlite:" + db, "--no-progress");
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(180)));
        var rows = await RowsAsync(db);
        Assert.Equal(10 * 2 * 2 * 4, rows.Count);                                  // examples x presses x ratios x turns
        Assert.Equal(rows.Count, rows.Select(r => r.TrialId).Distinct().Count());
        Assert.All(rows, r => Assert.Equal("ok", r.Status));
        var skipped = System.Text.RegularExpressions.Regex.Match(second.Output, @"\((\d+) from earlier runs\)");
        Assert.True(skipped.Success, second.Output);
        Assert.True(int.Parse(skipped.Groups[1].Value) >= partial.Count, second.Output);
        var before = partial.ToDictionary(r => r.TrialId, r => r.CompletedAt);
        Assert.All(rows.Where(r => before.ContainsKey(r.TrialId)), r => Assert.Equal(before[r.TrialId], r.CompletedAt));
    }

    [Fact]
    public async Task AContextThatThrowsIsRecordedAsFailedAndTheSweepFinishes()
    {
        // A second model whose weights are damaged: it passes the spec check (files present) but cannot load.
        var broken = Path.Combine(grid.Root, "broken-model");
        Directory.CreateDirectory(broken);
        foreach (var f in Directory.GetFiles(grid.ModelDir)) File.Copy(f, Path.Combine(broken, Path.GetFileName(f)), true);
        var weights = Path.Combine(broken, "model.safetensors");
        using (var fs = new FileStream(weights, FileMode.Open)) fs.SetLength(fs.Length / 2);
        var models = $"  - {{ name: good, path: {grid.ModelDir} }}\n  - {{ name: broken, path: {broken} }}\n";
        var spec = grid.WriteSpec("failing", count: 2, maxNewTokens: 8, models: models, presses: "[knorm]");
        var db = Path.Combine(grid.Root, "failing.db");

        using var run = CliProcess.Start("run", TestPaths.RepoRoot, "sweep", "run", spec, "--results", "sqlite:" + db, "--no-progress");
        Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(180)));
        output.WriteLine(run.Output);
        var rows = await RowsAsync(db);
        var failed = rows.Where(r => r.Status == "failed").ToList();
        Assert.Equal(2 * 2 * 4, failed.Count);                                     // every trial of the broken model
        Assert.All(failed, r => Assert.Equal("broken", r.Model));
        Assert.All(failed, r => Assert.Contains("model.safetensors", r.Error));
        Assert.Equal(2 * 2 * 4, rows.Count(r => r.Status == "ok" && r.Model == "good"));
        Assert.Contains($"{failed.Count} failed", run.Output);
    }

    [Theory]
    [InlineData("ratios: [0.0, 1.0]", "ratio")]
    [InlineData("presses: [snapkv, nopress]", "unknown press 'nopress'")]
    [InlineData("defenses: [nodefense]", "nodefense")]
    public async Task BadSpecsFailWithOneLine(string replace, string expected)
    {
        var spec = grid.WriteSpec("bad-" + Guid.NewGuid().ToString("N")[..6], count: 2, maxNewTokens: 8);
        var key = replace.Split(':')[0];
        var lines = File.ReadAllLines(spec).Select(l => l.StartsWith(key + ":") ? replace : l);
        File.WriteAllLines(spec, lines);
        using var run = CliProcess.Start("bad", TestPaths.RepoRoot, "sweep", "run", spec, "--no-progress", "--results", "sqlite:" + Path.Combine(grid.Root, "bad.db"));
        Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var text = run.Output.Trim();
        Assert.Single(text.Split('\n'));
        Assert.StartsWith("error: ", text);
        Assert.Contains(Path.GetFileName(spec) + ":", text);
        Assert.Contains(expected, text);
    }
}
