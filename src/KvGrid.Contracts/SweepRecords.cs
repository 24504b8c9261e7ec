using Orleans;

namespace KvGrid.Contracts;

[GenerateSerializer, Immutable]
public sealed record ShardConfig(
    [property: Id(0)] string SiloName,
    [property: Id(1)] string Device,
    [property: Id(2)] ModelRef Model,
    [property: Id(3)] int Concurrency);

[GenerateSerializer, Immutable]
public sealed record ShardStatus(
    [property: Id(0)] string ShardId,
    [property: Id(1)] bool Running,
    [property: Id(2)] bool ModelLoaded,
    [property: Id(3)] double ModelLoadSeconds,
    [property: Id(4)] int ContextsDone,
    [property: Id(5)] int TrialsDone,
    [property: Id(6)] string? CurrentContext,
    [property: Id(7)] string? LastError);

[GenerateSerializer, Immutable]
public sealed record WorkLease(
    [property: Id(0)] ContextWork Work,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] int Attempt);

public enum SweepState { Running, Completed, Cancelled }

[GenerateSerializer, Immutable]
public sealed record SweepInfo(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] SweepState State,
    [property: Id(3)] DateTimeOffset SubmittedAt);

/// <summary>The outcome of a submission: the registered sweep, or why the silo refused the spec.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepSubmission(
    [property: Id(0)] SweepInfo? Sweep,
    [property: Id(1)] string? Error)
{
    /// <summary>The sweep, or the refusal as the one-line user error it is.</summary>
    public SweepInfo Accepted => Sweep ?? throw new KvGridException(Error ?? "the sweep was refused");
}

[GenerateSerializer, Immutable]
public sealed record SweepProgress(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] SweepState State,
    [property: Id(3)] int ContextsTotal,
    [property: Id(4)] int ContextsDone,
    [property: Id(5)] int ContextsFailed,
    [property: Id(6)] int ContextsLeased,
    [property: Id(7)] int TrialsTotal,
    [property: Id(8)] int TrialsDone,
    [property: Id(9)] int TrialsFailed,
    [property: Id(10)] int TrialsSkipped,
    /// <summary>Prefills reported since this coordinator activation (one per context executed).</summary>
    [property: Id(11)] long Prefills,
    [property: Id(12)] int LeasesExpired,
    [property: Id(13)] double TrialsPerSecond,
    [property: Id(14)] TimeSpan? Eta,
    [property: Id(15)] IReadOnlyList<string> RecentErrors,
    [property: Id(16)] IReadOnlyList<AxisProgress> ByPress,
    /// <summary>Trial results reported since this activation, re-deliveries included (recomputation shows here).</summary>
    [property: Id(17)] long TrialsComputed,
    [property: Id(18)] IReadOnlyList<AxisProgress> ByRatio,
    /// <summary>Counts over every activation of this sweep's coordinator (persisted about once a second).</summary>
    [property: Id(19)] SweepLifetime? Lifetime = null)
{
    public bool Finished => State != SweepState.Running;
}

/// <summary>
/// What a sweep's coordinator has lived through since submission: how often it was activated (1 + re-activations
/// after a silo loss or a restart), trial results reported by shards, results that arrived for a trial already
/// stored (work done twice after a failover), and leases that expired. Results computed while no coordinator could be
/// reached are stored but not counted here.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SweepLifetime(
    [property: Id(0)] int Activations,
    [property: Id(1)] long TrialsComputed,
    [property: Id(2)] int LeasesExpired,
    [property: Id(3)] long DuplicateResults);

/// <summary>Trials done out of the total for one value of an axis (e.g. one press).</summary>
[GenerateSerializer, Immutable]
public sealed record AxisProgress(
    [property: Id(0)] string Value,
    [property: Id(1)] int TrialsDone,
    [property: Id(2)] int TrialsTotal);

/// <summary>Live aggregate of one (model, press, remedy, ratio, defense order) cell.</summary>
[GenerateSerializer, Immutable]
public sealed record AggregateRow(
    [property: Id(0)] string Model,
    [property: Id(1)] string Press,
    [property: Id(2)] string Remedy,
    [property: Id(3)] double Ratio,
    [property: Id(4)] string DefenseOrder,
    [property: Id(5)] int LeakageTrials,
    [property: Id(6)] int Leaked,
    [property: Id(7)] int IfEvalTrials,
    [property: Id(8)] int PromptStrict,
    [property: Id(9)] int PromptLoose,
    [property: Id(10)] int Instructions,
    [property: Id(11)] int InstructionStrict,
    [property: Id(12)] int InstructionLoose,
    [property: Id(13)] IReadOnlyDictionary<string, double> MeanSpanKeep)
{
    public double LeakRate => LeakageTrials == 0 ? double.NaN : (double)Leaked / LeakageTrials;
    public double DefenseSuccess => LeakageTrials == 0 ? double.NaN : 1 - LeakRate;
    public double PromptStrictAccuracy => IfEvalTrials == 0 ? double.NaN : (double)PromptStrict / IfEvalTrials;
    public double PromptLooseAccuracy => IfEvalTrials == 0 ? double.NaN : (double)PromptLoose / IfEvalTrials;
    public double InstructionStrictAccuracy => Instructions == 0 ? double.NaN : (double)InstructionStrict / Instructions;
    public double InstructionLooseAccuracy => Instructions == 0 ? double.NaN : (double)InstructionLoose / Instructions;
}
