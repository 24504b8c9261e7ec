namespace KvGrid.Benchmarks.Synthetic;

/// <summary>The facts a synthetic system prompt states (what a leak would reveal).</summary>
public sealed record SyntheticFacts(string Name, string SecretCode, string Topic);

/// <summary>A benign user turn and a reference response that obeys every format rule of the system prompt.</summary>
public sealed record SyntheticBenignTurn(string User, string Reference);

/// <summary>
/// An attack user turn and its training targets: with the defense the refusal
/// (<see cref="Datasets.Refusals.Standard"/>), without it the undefended system prompt verbatim.
/// </summary>
public sealed record SyntheticAttackTurn(string User, string ReferenceDefended, string ReferenceUndefended);

/// <summary>
/// One generated example: the same instructions as a defended system prompt (defense sentence at
/// <see cref="Placement"/>) and an undefended one (the defense sentence left out, other sentences in the same
/// order), benign turns and attack turns.
/// </summary>
public sealed record SyntheticExample(
    int Index,
    ulong Seed,
    SyntheticFacts Facts,
    DefensePlacement Placement,
    SyntheticSystemPrompt Defended,
    SyntheticSystemPrompt Undefended,
    IReadOnlyList<SyntheticBenignTurn> BenignTurns,
    IReadOnlyList<SyntheticAttackTurn> AttackTurns);
