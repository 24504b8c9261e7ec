using KvGrid.Contracts;

namespace KvGrid.Results.Storage;

/// <summary>The stored text of a <see cref="SweepState"/> (its name).</summary>
static class SweepStates
{
    public static SweepState Parse(string text, string store, string sweepId) =>
        Enum.TryParse<SweepState>(text, ignoreCase: false, out var s) && Enum.IsDefined(s)
            ? s
            : throw new KvGridException($"{store}: sweep {sweepId}: unknown state '{text}'");
}
