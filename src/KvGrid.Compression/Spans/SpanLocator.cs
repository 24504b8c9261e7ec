using KvGrid.Engine.Tokenization;

namespace KvGrid.Compression;

/// <summary>
/// Finds text spans (the defense template, each instruction) in a token sequence. Byte-level BPE may merge a span's
/// first or last token with its neighbour, so, as the paper's get_system_span, the span is encoded on its own
/// (no special tokens), its inner tokens (without the first and last) are matched at their first occurrence, and the
/// match is widened by one token on each side. Spans of one or two tokens must match exactly.
/// </summary>
public static class SpanLocator
{
    public static TokenSpan Locate(HfTokenizer tokenizer, IReadOnlyList<int> ids, string text, string? label = null, int searchFrom = 0) =>
        Locate(t => tokenizer.Encode(t, addSpecialTokens: false), ids, text, label, searchFrom);

    public static TokenSpan Locate(Func<string, int[]> encode, IReadOnlyList<int> ids, string text, string? label = null, int searchFrom = 0)
    {
        label ??= DefaultLabel(text);
        var tokens = encode(text);
        if (tokens.Length == 0) throw new SpanException($"span '{label}' is empty after tokenization");
        if (tokens.Length <= 2)
        {
            int at = IndexOf(ids, tokens, 0, tokens.Length, searchFrom);
            if (at < 0) throw NotFound(label, ids.Count);
            return new TokenSpan(at, at + tokens.Length, label);
        }
        int inner = IndexOf(ids, tokens, 1, tokens.Length - 2, searchFrom);
        if (inner < 0) throw NotFound(label, ids.Count);
        return new TokenSpan(Math.Max(0, inner - 1), Math.Min(ids.Count, inner + tokens.Length - 1), label);
    }

    /// <summary>Locates several spans and resolves one-token overlaps that widening creates between neighbours.</summary>
    public static IReadOnlyList<TokenSpan> LocateAll(HfTokenizer tokenizer, IReadOnlyList<int> ids, IReadOnlyList<string> texts, IReadOnlyList<string>? labels = null) =>
        LocateAll(t => tokenizer.Encode(t, addSpecialTokens: false), ids, texts, labels);

    public static IReadOnlyList<TokenSpan> LocateAll(Func<string, int[]> encode, IReadOnlyList<int> ids, IReadOnlyList<string> texts, IReadOnlyList<string>? labels = null) =>
        ResolveBoundaryOverlaps(texts.Select((t, i) => Locate(encode, ids, t, labels?[i])).ToArray());

    /// <summary>Spans in rendered text (e.g. a chat template's output): the text is encoded without special tokens, as apply_chat_template.</summary>
    public static IReadOnlyList<TokenSpan> LocateInText(HfTokenizer tokenizer, string renderedText, IReadOnlyList<string> texts, IReadOnlyList<string>? labels = null) =>
        LocateAll(tokenizer, tokenizer.Encode(renderedText, addSpecialTokens: false), texts, labels);

    /// <summary>
    /// Sorted spans where a span ends exactly one token inside the next (both widened over a shared merged token)
    /// are made adjacent by trimming the earlier one, as the paper's raccoon runner does; other overlaps remain
    /// (and are rejected where spans must be disjoint).
    /// </summary>
    public static IReadOnlyList<TokenSpan> ResolveBoundaryOverlaps(IReadOnlyList<TokenSpan> spans)
    {
        var sorted = spans.OrderBy(s => s.Start).ToArray();
        for (int i = 0; i + 1 < sorted.Length; i++)
            if (sorted[i].End == sorted[i + 1].Start + 1 && sorted[i + 1].Start > sorted[i].Start)
                sorted[i] = sorted[i] with { End = sorted[i + 1].Start };
        return sorted;
    }

    static int IndexOf(IReadOnlyList<int> haystack, int[] needle, int offset, int count, int from)
    {
        for (int i = Math.Max(0, from); i + count <= haystack.Count; i++)
        {
            int j = 0;
            while (j < count && haystack[i + j] == needle[offset + j]) j++;
            if (j == count) return i;
        }
        return -1;
    }

    static SpanException NotFound(string label, int n) =>
        new($"span '{label}' was not found in the {n} context tokens");

    public static string DefaultLabel(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 40 ? oneLine : oneLine[..37] + "...";
    }
}
