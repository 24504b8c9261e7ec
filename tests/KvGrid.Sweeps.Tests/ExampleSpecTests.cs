using KvGrid.Benchmarks.Fetching;
using KvGrid.TestSupport;

namespace KvGrid.Sweeps.Tests;

/// <summary>A data cache laid out as `kvgrid data fetch` leaves it, filled from the shared data copy.</summary>
public sealed class FetchedCacheFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public FetchedCacheFixture()
    {
        Cache = new DataCache(_dir.Path);
        foreach (var file in PinnedManifest.Datasets.SelectMany(d => d.Files))
        {
            var target = Cache.PathOf(file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(SharedCopyOf(file.UpstreamPath), target);
        }
    }

    public DataCache Cache { get; }

    private static string SharedCopyOf(string upstreamPath)
    {
        const string raccoon = "kv_cache_compression/benchmarks/raccoon/";
        const string ifeval = "kv_cache_compression/benchmarks/ifeval/inputs/";
        var relative = upstreamPath.StartsWith(ifeval, StringComparison.Ordinal)
            ? "sys_ifeval/" + upstreamPath[ifeval.Length..]
            : "raccoon/" + upstreamPath[raccoon.Length..].Replace("defenses/", "", StringComparison.Ordinal);
        return Path.Combine(TestPaths.SharedData, relative);
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>The example specs in examples/sweeps load with fetched data names and expand to the counts the paper's grids imply.</summary>
public sealed class ExampleSpecTests(FetchedCacheFixture cache) : IClassFixture<FetchedCacheFixture>
{
    private SweepExpansion Expand(string file) =>
        SweepExpander.Expand(SweepSpec.Load(Path.Combine(TestPaths.RepoRoot, "examples", "sweeps", file),
            new SweepLoadOptions(cache.Cache, CheckModelFolders: false)));

    [Fact]
    public void LeakageExample()
    {
        // 100 prompts x 3 defenses x 5 presses x 3 remedies; whitelist and fair cannot apply to no_defense.
        var x = Expand("pitfalls-llama-leakage.yaml");
        Assert.Equal(4500 - 2 * 5 * 100, x.Contexts.Count);
        Assert.Equal(3500L * 10 * 44, x.TrialCount);
        Assert.Equal(1000, x.SkippedContexts);
        Assert.Equal("/models/Llama-3.1-8B-Instruct", x.Contexts[0].Model.Path);
        Assert.Equal(("bfloat16", "cuda"), (x.Contexts[0].Model.DType, x.Contexts[0].Model.Device));
    }

    [Fact]
    public void IfEvalExample()
    {
        // 539 items x 3 defenses x 5 presses x 2 remedies; with the prefix every prompt has two or more spans.
        var x = Expand("pitfalls-llama-ifeval.yaml");
        Assert.Equal(539 * 3 * 5 * 2, x.Contexts.Count);
        Assert.Equal(539L * 3 * 5 * 2 * 10, x.TrialCount);
        Assert.Empty(x.Skipped);
    }

    [Fact]
    public void DemoExample()
    {
        // 4 examples x 2 defenses x 2 presses x 3 remedies; whitelist cannot apply without a defense (4 x 2).
        var x = Expand("demo-synthetic.yaml");
        Assert.Equal(48 - 8, x.Contexts.Count);
        Assert.Equal(40L * 2 * 4, x.TrialCount);
        // Relative to the spec folder, then the current directory (the repository root when run as ./kvgrid).
        Assert.EndsWith(Path.Combine("models", "tiny-random-llama"), x.Contexts[0].Model.Path);
    }

    [Fact]
    public void ExampleIdsDoNotDependOnTheCacheLocation()
    {
        var here = SweepSpec.Load(Path.Combine(TestPaths.RepoRoot, "examples", "sweeps", "pitfalls-llama-leakage.yaml"),
            new SweepLoadOptions(cache.Cache, CheckModelFolders: false));
        using var other = new FetchedCacheFixture();
        var there = SweepSpec.Load(Path.Combine(TestPaths.RepoRoot, "examples", "sweeps", "pitfalls-llama-leakage.yaml"),
            new SweepLoadOptions(other.Cache, CheckModelFolders: false));
        Assert.Equal(here.SweepId, there.SweepId);
        Assert.Equal(SweepExpander.Expand(here).Contexts[7].ContextId, SweepExpander.Expand(there).Contexts[7].ContextId);
    }
}
