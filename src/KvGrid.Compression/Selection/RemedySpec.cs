namespace KvGrid.Compression;

/// <summary>
/// Remedies against uneven eviction, composable: a whitelist (positions always kept; the rest of the budget goes to
/// the best-scored other positions) and fair eviction (the budget split across spans in proportion to their
/// lengths, each span keeping its own best tokens). With <see cref="SpanLocalWindows"/> (the paper's fair presses)
/// attention-based presses score each span with its own observation window.
/// </summary>
public sealed record RemedySpec
{
    public IReadOnlyList<TokenSpan> Whitelist { get; init; } = [];
    public IReadOnlyList<TokenSpan> FairSpans { get; init; } = [];
    public bool SpanLocalWindows { get; init; } = true;

    public static RemedySpec None { get; } = new();
    public static RemedySpec WhitelistOf(params TokenSpan[] spans) => new() { Whitelist = spans };
    public static RemedySpec FairOf(params TokenSpan[] spans) => new() { FairSpans = spans };

    public bool HasWhitelist => Whitelist.Count > 0;
    public bool IsFair => FairSpans.Count > 0;

    /// <summary>Checks every span against a context of L tokens (one-line <see cref="SpanException"/>).</summary>
    public void Validate(int contextLength)
    {
        SpanValidation.Check(Whitelist, contextLength, "whitelist span");
        SpanValidation.Check(FairSpans, contextLength, "fair span");
    }

    /// <summary>Whitelisted positions, ascending.</summary>
    public int[] WhitelistPositions() => Whitelist.SelectMany(s => Enumerable.Range(s.Start, s.Length)).Distinct().Order().ToArray();
}
