using KvGrid.Engine.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace KvGrid.Compression;

/// <summary>
/// Random (kvpress RandomPress): uniform scores from a CPU generator seeded with the press seed in every layer
/// (kvpress calls torch.manual_seed(seed) per layer, so every layer draws the same scores), cast to the keys' dtype.
/// </summary>
public sealed class RandomScorer(PressParameters parameters) : IPressScorer
{
    public string Name => "random";
    public PressParameters Parameters { get; } = parameters;
    public PrefillNeeds Needs => PrefillNeeds.None;

    public Tensor Score(PressInput input)
    {
        using var scope = NewDisposeScope();
        using var generator = new torch.Generator(unchecked((ulong)Parameters.Seed), CPU);
        var keys = input.Keys;
        var scores = rand([1, keys.shape[1], keys.shape[2]], generator: generator, dtype: ScalarType.Float32, device: CPU);
        return scores[0].to(keys.dtype).to(ScalarType.Float32).to(keys.device).MoveToOuterDisposeScope();
    }
}
