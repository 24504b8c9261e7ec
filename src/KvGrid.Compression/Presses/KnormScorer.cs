using KvGrid.Engine.Modeling;
using static TorchSharp.torch;

namespace KvGrid.Compression;

/// <summary>K-Norm (kvpress KnormPress): score = -||key||_2, so low-norm keys are kept. Computed in the keys' dtype.</summary>
public sealed class KnormScorer(PressParameters parameters) : IPressScorer
{
    public string Name => "knorm";
    public PressParameters Parameters { get; } = parameters;
    public PrefillNeeds Needs => PrefillNeeds.None;

    public Tensor Score(PressInput input)
    {
        using var scope = NewDisposeScope();
        return input.Keys[0].norm(-1).neg().to(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
