using KvGrid.Engine.Checkpoints;
using KvGrid.Engine.Modeling;
using static TorchSharp.torch;

namespace KvGrid.Compression.Tests;

/// <summary>Small helpers to build press inputs and drive a compressor on hand-made layers.</summary>
public static class TestTensors
{
    public static ModelConfig Config(int numLayers = 1, int heads = 1, int kvHeads = 1, int headDim = 4) => new()
    {
        Architecture = ModelArchitecture.Llama, HiddenSize = heads * headDim, IntermediateSize = 8, NumLayers = numLayers,
        NumAttentionHeads = heads, NumKeyValueHeads = kvHeads, HeadDim = headDim, VocabSize = 16,
    };

    /// <summary>Attention weights [1, Hq, L, L] from rows given per head.</summary>
    public static Tensor Attention(float[][][] rowsPerHead) =>
        tensor(rowsPerHead.SelectMany(h => h.SelectMany(r => r)).ToArray()).view(1, rowsPerHead.Length, rowsPerHead[0].Length, rowsPerHead[0][0].Length);

    public static Tensor ZeroKeys(int kvHeads, int l, int d = 4) => zeros(1, kvHeads, l, d);

    /// <summary>Runs a compressor over identical layers and returns the kept positions per layer as int arrays [layer][head][].</summary>
    public static int[][][] Kept(ContextCompressor compressor, PrefillLayer template, int numLayers, double ratio)
    {
        for (int l = 0; l < numLayers; l++) compressor.OnLayer(template with { Layer = l });
        var kept = compressor.KeptPositions(ratio);
        try { return kept.Select(ToArrays).ToArray(); }
        finally { foreach (var t in kept) t.Dispose(); }
    }

    public static int[][] ToArrays(Tensor kept)
    {
        var k = kept.cpu();
        long heads = k.shape[0], n = k.shape[1];
        var flat = k.data<long>().ToArray();
        return Enumerable.Range(0, (int)heads).Select(h => flat.Skip((int)(h * n)).Take((int)n).Select(x => (int)x).ToArray()).ToArray();
    }

    public static PrefillLayer Layer(Tensor keys, Tensor? queries = null, Tensor? attention = null) =>
        new(0, keys, keys, queries, attention, zeros(1, keys.shape[2], 1));
}
