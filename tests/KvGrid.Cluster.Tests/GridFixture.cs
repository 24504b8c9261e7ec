using KvGrid.Chaos;
using KvGrid.Engine.Checkpoints;
using KvGrid.TestSupport;

namespace KvGrid.Cluster.Tests;

/// <summary>A model and sweep specs shared by the cluster tests (written once per run).</summary>
public sealed class GridFixture : IDisposable
{
    readonly TempDir _dir = new();
    public string ModelDir { get; }
    public string Root => _dir.Path;

    public GridFixture()
    {
        // Bigger than the bundled tiny model so a sweep lasts long enough to kill processes mid-way.
        ModelDir = _dir["model"];
        RandomCheckpoint.Write(ModelDir, new RandomCheckpointSpec { HiddenSize = 128, IntermediateSize = 256, NumLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 2, InitStd = 0.1, Seed = 3 });
    }

    /// <summary>A synthetic sweep: count examples x presses contexts, each with 2 ratios x 4 turns.</summary>
    public string WriteSpec(string name, int count, int maxNewTokens, string models = "", string presses = "[knorm, tova]") =>
        SyntheticSweepSpec.Write(_dir[name + ".yaml"], name, ModelDir, count, maxNewTokens, models, presses);

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition("grid")]
public sealed class GridCollection : ICollectionFixture<GridFixture>;
