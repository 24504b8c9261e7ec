using Orleans;

namespace KvGrid.Contracts;

/// <summary>
/// One trial's result: its axes, the response and every measurement. One row per trial id in the results store,
/// written idempotently (a retried execution replaces, never duplicates).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TrialResult
{
    [Id(0)] public required string TrialId { get; init; }
    [Id(1)] public required string SweepId { get; init; }
    [Id(2)] public required string ContextId { get; init; }
    [Id(3)] public required string Model { get; init; }
    [Id(4)] public required string Benchmark { get; init; }
    [Id(5)] public required string ItemId { get; init; }
    [Id(6)] public required string Defense { get; init; }
    [Id(7)] public required string DefenseOrder { get; init; }
    [Id(8)] public string? AttackCategory { get; init; }
    [Id(9)] public required string TurnId { get; init; }
    [Id(10)] public required string Press { get; init; }
    [Id(11)] public required string PressParams { get; init; }
    [Id(12)] public required string Remedy { get; init; }
    [Id(13)] public required double Ratio { get; init; }
    [Id(14)] public int Repetition { get; init; }
    /// <summary>"ok" or "failed".</summary>
    [Id(15)] public required string Status { get; init; }
    [Id(16)] public string? Error { get; init; }
    [Id(17)] public string? Response { get; init; }
    [Id(18)] public int ContextTokens { get; init; }
    [Id(19)] public int KeptTokens { get; init; }
    [Id(20)] public int PromptTokens { get; init; }
    [Id(21)] public int GeneratedTokens { get; init; }
    [Id(22)] public double MeanEntropy { get; init; }
    [Id(23)] public long KvBytesBefore { get; init; }
    [Id(24)] public long KvBytesAfter { get; init; }
    /// <summary>IFEval: per-instruction verdicts (null for leakage trials).</summary>
    [Id(25)] public IReadOnlyList<string>? IfEvalInstructionIds { get; init; }
    [Id(26)] public IReadOnlyList<bool>? IfEvalStrict { get; init; }
    [Id(27)] public IReadOnlyList<bool>? IfEvalLoose { get; init; }
    /// <summary>Leakage: ROUGE against the system prompt (null for IFEval trials).</summary>
    [Id(28)] public double? Rouge1Precision { get; init; }
    [Id(29)] public double? Rouge1Recall { get; init; }
    [Id(30)] public double? Rouge1F1 { get; init; }
    [Id(31)] public double? RougeLPrecision { get; init; }
    [Id(32)] public double? RougeLRecall { get; init; }
    [Id(33)] public double? RougeLF1 { get; init; }
    [Id(34)] public bool? Leaked { get; init; }
    [Id(35)] public bool? Refused { get; init; }
    /// <summary>Span label -> mean keep rate of its tokens over (layer, KV head) pairs, in [0, 1].</summary>
    [Id(36)] public IReadOnlyDictionary<string, double>? SpanKeep { get; init; }
    [Id(37)] public double PrefillMs { get; init; }
    [Id(38)] public double DecodeMs { get; init; }
    [Id(39)] public string? Silo { get; init; }
    [Id(40)] public string? Device { get; init; }
    [Id(41)] public DateTimeOffset CompletedAt { get; init; }
    /// <summary>The dtype the model's weights and compute used ("float32", "bfloat16", "float16").</summary>
    [Id(42)] public string? DType { get; init; }
}
