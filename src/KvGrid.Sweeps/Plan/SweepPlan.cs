namespace KvGrid.Sweeps;

/// <summary>Throughput figures for the run-time estimate, in tokens per second of one shard.</summary>
public sealed record PlanThroughput(double PrefillTokensPerSecond, double DecodeTokensPerSecond)
{
    /// <summary>
    /// Placeholder CPU figures for a small model (to be replaced by measured ones from <c>kvgrid bench</c>).
    /// </summary>
    public static readonly PlanThroughput CpuDefault = new(PrefillTokensPerSecond: 200, DecodeTokensPerSecond: 10);
}

/// <summary>
/// The work of a sweep in numbers: contexts (= prefills), trials, estimated prefill tokens, the decode-token upper
/// bound, and a run-time estimate. Token counts are estimated as characters / 4 (no tokenizer is loaded to plan).
/// </summary>
public sealed record SweepPlan(
    SweepExpansion Expansion,
    PlanThroughput Throughput,
    long ContextCount,
    long TrialCount,
    long PrefillCount,
    long ContextPrefillTokens,
    long TurnPrefillTokens,
    long DecodeTokensUpperBound,
    TimeSpan EstimatedTime)
{
    public const int CharactersPerToken = 4;

    /// <summary>Every token a shard feeds through the model before decoding: contexts once, each turn once per ratio.</summary>
    public long PrefillTokens => ContextPrefillTokens + TurnPrefillTokens;

    public static SweepPlan For(SweepExpansion expansion, PlanThroughput throughput)
    {
        ArgumentNullException.ThrowIfNull(expansion);
        ArgumentNullException.ThrowIfNull(throughput);
        if (throughput.PrefillTokensPerSecond <= 0 || throughput.DecodeTokensPerSecond <= 0)
        {
            throw new KvGridException("throughput figures must be positive tokens per second");
        }

        long contextTokens = 0, turnTokens = 0, decodeTokens = 0;
        foreach (var context in expansion.Contexts)
        {
            contextTokens += EstimateTokens(context.SystemMessage.Length);
            // Each turn continues on top of the compressed cache once per ratio.
            turnTokens += context.Ratios.Count * context.Turns.Sum(t => EstimateTokens(t.Text.Length));
            decodeTokens += (long)context.TrialCount * context.Decoding.MaxNewTokens;
        }

        var seconds = (contextTokens + turnTokens) / throughput.PrefillTokensPerSecond + decodeTokens / throughput.DecodeTokensPerSecond;
        return new SweepPlan(expansion, throughput, expansion.Contexts.Count, expansion.TrialCount, expansion.PrefillCount,
            contextTokens, turnTokens, decodeTokens, TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2)));
    }

    public static long EstimateTokens(int characters) => (characters + CharactersPerToken - 1) / CharactersPerToken;
}
