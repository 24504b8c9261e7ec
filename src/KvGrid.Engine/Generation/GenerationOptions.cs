namespace KvGrid.Engine.Generation;

/// <summary>Decoding settings. Temperature 0 is greedy (the paper's default).</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 256;
    public double Temperature { get; init; }
    public int TopK { get; init; }
    public double TopP { get; init; } = 1.0;
    public long Seed { get; init; } = 42;
    /// <summary>Generation stops for a row at any of these ids (the model's EOS ids); the stop id is part of the output, as in HF.</summary>
    public IReadOnlyCollection<int> StopIds { get; init; } = [];
}

/// <summary>One continuation: generated ids (including a final stop id if one was produced) and per-step entropies (nats).</summary>
public sealed record GenerationResult(int[] Ids, double[] Entropies, bool Stopped, int PromptTokens);
