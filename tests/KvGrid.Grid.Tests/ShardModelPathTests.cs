using KvGrid.Contracts;
using KvGrid.Grid.Shards;
using KvGrid.Sweeps;
using KvGrid.TestSupport;

namespace KvGrid.Grid.Tests;

/// <summary>Which model folder a shard loads: its own configured one, else the spec's, only inside its model roots.</summary>
public sealed class ShardModelPathTests : IDisposable
{
    readonly TempDir _dir = new();

    static ContextWork Work(string path) => new(
        "c", "sweep", new ModelRef("m", path, "float32", "cpu"), "synthetic", "item", "system", [], "standard_defense", "defense_first",
        new PressRef("knorm", new Dictionary<string, string>()), RemedyRef.None, [0.5], [new UserTurn("t", "hi", ScoringKind.Leakage, "Plain")],
        new DecodingRef(16, 0, 42), 0, "system", null);

    static ShardConfig Shard(string path) => new("s1", "cpu", new ModelRef("m", path, "", "cpu"), 1);

    PathRoots Roots(params string[] models) => PathRoots.Create(models, [], _dir["cache"]);

    [Fact]
    public void A_folder_configured_on_the_silo_wins_over_the_spec()
    {
        Assert.Equal("/silo/model", ShardWorker.ModelPathFor(Shard("/silo/model"), Work("/etc"), Roots()));
    }

    [Fact]
    public void A_spec_folder_outside_the_model_roots_is_refused_with_one_line()
    {
        var e = Assert.Throws<KvGridException>(() => ShardWorker.ModelPathFor(Shard(""), Work("/etc"), Roots()));
        Assert.Equal("model 'm': folder '/etc' is outside this silo's model roots (none configured; configure KvGrid__ModelRoots or the model's path on the silo)", e.Message);
        var root = _dir["models"];
        Directory.CreateDirectory(Path.Combine(root, "m"));
        Assert.Throws<KvGridException>(() => ShardWorker.ModelPathFor(Shard(""), Work(Path.Combine(root, "..", "cache")), Roots(root)));
        Assert.Equal(Path.Combine(root, "m"), ShardWorker.ModelPathFor(Shard(""), Work(Path.Combine(root, "m")), Roots(root)));
    }

    [Fact]
    public void The_embedded_mode_reads_the_spec_folder_as_given() =>
        Assert.Equal("/anywhere/model", ShardWorker.ModelPathFor(Shard(""), Work("/anywhere/model"), null));

    public void Dispose() => _dir.Dispose();
}
