namespace KvGrid.Compression;

/// <summary>
/// Fair-eviction spans laid over a context of L tokens. The spans (sorted, disjoint) are what was located; each
/// span also owns a range: the first owns from position 0, each owns up to the next span's start, the last owns up
/// to L. So owned ranges partition the context; for the paper's two adjacent spans this is exactly its "each span
/// extended to the sequence edge on its side".
/// </summary>
public sealed class SpanLayout
{
    public int ContextLength { get; }
    public IReadOnlyList<TokenSpan> Spans { get; }
    public IReadOnlyList<(int Start, int End)> Owned { get; }

    public SpanLayout(IReadOnlyList<TokenSpan> spans, int contextLength)
    {
        SpanValidation.Check(spans, contextLength, "fair span");
        if (spans.Count == 0) throw new ArgumentException("fair eviction needs at least one span");
        ContextLength = contextLength;
        Spans = spans.OrderBy(s => s.Start).ToArray();
        var owned = new (int, int)[Spans.Count];
        for (int i = 0; i < Spans.Count; i++)
            owned[i] = (i == 0 ? 0 : Spans[i].Start, i + 1 < Spans.Count ? Spans[i + 1].Start : contextLength);
        Owned = owned;
    }
}

/// <summary>Span checks shared by whitelists and fair spans; errors are one line.</summary>
public static class SpanValidation
{
    /// <summary>Bounds only (analysis spans may overlap, e.g. a whole prompt and one instruction in it).</summary>
    public static void CheckBounds(IReadOnlyList<TokenSpan> spans, int contextLength, string what)
    {
        foreach (var s in spans)
            if (s.Start < 0 || s.End > contextLength || s.End < s.Start)
                throw new SpanException($"{what} '{s.Label}' {s.Start}:{s.End} is outside the context (0:{contextLength})");
    }

    public static void Check(IReadOnlyList<TokenSpan> spans, int contextLength, string what)
    {
        foreach (var s in spans)
        {
            if (s.Start < 0 || s.End > contextLength)
                throw new SpanException($"{what} '{s.Label}' {s.Start}:{s.End} is outside the context (0:{contextLength})");
            if (s.End <= s.Start)
                throw new SpanException($"{what} '{s.Label}' {s.Start}:{s.End} is empty (END must be greater than START)");
        }
        var sorted = spans.OrderBy(s => s.Start).ToArray();
        for (int i = 1; i < sorted.Length; i++)
            if (sorted[i].Start < sorted[i - 1].End)
                throw new SpanException($"{what}s '{sorted[i - 1].Label}' {sorted[i - 1].Start}:{sorted[i - 1].End} and '{sorted[i].Label}' {sorted[i].Start}:{sorted[i].End} overlap");
    }
}
