using KvGrid.Contracts;

namespace KvGrid.Sweeps;

/// <summary>One axis of a sweep: how many values it has, and the values (names) in expansion order.</summary>
public sealed record AxisCount(string Axis, int Count, IReadOnlyList<string> Values);

/// <summary>
/// Combinations the expansion left out because the remedy cannot apply (e.g. whitelisting the defense when the
/// defense is <c>no_defense</c>), grouped by press, remedy, defense and reason.
/// </summary>
public sealed record SkippedCombination(string Press, string Remedy, string Defense, string Reason, int Contexts, long Trials);

/// <summary>
/// A sweep expanded into its work: contexts in a deterministic order (model, press, remedy, defense, item,
/// repetition), the size of each axis, and what was skipped.
/// </summary>
public sealed record SweepExpansion(
    string SweepId,
    string Name,
    string Benchmark,
    IReadOnlyList<ContextWork> Contexts,
    IReadOnlyList<AxisCount> Axes,
    IReadOnlyList<SkippedCombination> Skipped)
{
    public long TrialCount => Contexts.Sum(c => (long)c.TrialCount);

    /// <summary>Each context is prefilled once (all its ratios share one scoring pass).</summary>
    public int PrefillCount => Contexts.Count;

    public int SkippedContexts => Skipped.Sum(s => s.Contexts);

    public long SkippedTrials => Skipped.Sum(s => s.Trials);

    /// <summary>Every trial of the sweep with its id (<see cref="TrialIds"/>), in context order, then ratio, then turn.</summary>
    public IEnumerable<(ContextWork Context, double Ratio, UserTurn Turn, string TrialId)> Trials() =>
        from context in Contexts
        from ratio in context.Ratios
        from turn in context.Turns
        select (context, ratio, turn, TrialIds.For(context, ratio, turn));
}
