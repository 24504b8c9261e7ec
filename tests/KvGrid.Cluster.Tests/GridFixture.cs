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
    public string WriteSpec(string name, int count, int maxNewTokens, string models = "", string presses = "[knorm, tova]")
    {
        var modelList = string.IsNullOrEmpty(models) ? $"  - {{ name: tiny, path: {ModelDir} }}\n" : models;
        var path = _dir[name + ".yaml"];
        File.WriteAllText(path, string.Join("\n",
            $"name: {name}",
            "benchmark: synthetic",
            "models:",
            modelList.TrimEnd('\n'),
            $"synthetic: {{ seed: 11, count: {count} }}",
            "defenses: [synthetic]",
            $"presses: {presses}",
            "remedies: [none]",
            "ratios: [0.0, 0.5]",
            $"decoding: {{ max_new_tokens: {maxNewTokens} }}") + "\n");
        return path;
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition("grid")]
public sealed class GridCollection : ICollectionFixture<GridFixture>;
