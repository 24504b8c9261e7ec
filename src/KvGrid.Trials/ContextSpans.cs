using KvGrid.Compression;
using KvGrid.Contracts;
using KvGrid.Engine.Tokenization;

namespace KvGrid.Trials;

/// <summary>
/// A context's labelled spans in token space (located from the system message's character spans), and the
/// remedies built from them: the whitelist is the defense span(s); fair eviction partitions the context into
/// one span per anchor (defense and system, or defense and each instruction), each extended to the next anchor
/// and the first/last to the sequence edges, which generalises the paper's two spans to N.
/// </summary>
public sealed class ContextSpans
{
    public int ContextLength { get; }
    /// <summary>Spans as located (not extended), one per character span, in context order.</summary>
    public IReadOnlyList<TokenSpan> Located { get; }
    /// <summary>Located spans with unique labels (a repeated label gets "#2", "#3", ...), for the eviction analysis.</summary>
    public IReadOnlyList<TokenSpan> AnalysisSpans { get; }

    ContextSpans(int length, IReadOnlyList<TokenSpan> located)
    {
        ContextLength = length;
        Located = located;
        var seen = new Dictionary<string, int>();
        AnalysisSpans = located.Select(s =>
        {
            int n = seen[s.Label] = seen.GetValueOrDefault(s.Label) + 1;
            return n == 1 ? s : s with { Label = $"{s.Label}#{n}" };
        }).ToList();
    }

    public static ContextSpans Locate(HfTokenizer tokenizer, IReadOnlyList<int> contextIds, ContextWork work)
    {
        var located = new List<TokenSpan>();
        int searchFrom = 0;
        foreach (var span in work.Spans.OrderBy(s => s.Start))
        {
            if (span.Start < 0 || span.End > work.SystemMessage.Length)
                throw new SpanException($"context {work.ContextId}: span '{span.Label}' [{span.Start}, {span.End}) lies outside the system message ({work.SystemMessage.Length} characters)");
            var text = work.SystemMessage.Substring(span.Start, span.Length).Trim();
            if (text.Length == 0) continue;
            // Spans may nest (the system prompt holds its instructions): sorted by start, each is searched from the
            // previous span's start, which keeps repeated sentences in order without skipping a nested span.
            var token = SpanLocator.Locate(tokenizer, contextIds, text, BaseLabel(span.Label), searchFrom);
            located.Add(token);
            searchFrom = token.Start;
        }
        return new ContextSpans(contextIds.Count, located);
    }

    /// <summary>"defense:1" and "defense" are pieces of one defense: analysis and whitelists treat them as one label.</summary>
    static string BaseLabel(string label) => label.StartsWith("defense", StringComparison.Ordinal) ? "defense" : label;

    IEnumerable<TokenSpan> WithLabel(Func<string, bool> match) => Located.Where(s => match(s.Label));

    public RemedySpec Remedy(RemedyRef remedy)
    {
        var spec = RemedySpec.None with { SpanLocalWindows = remedy.SpanLocalWindows };
        if (remedy.Whitelist)
        {
            var defense = WithLabel(l => l == "defense").ToArray();
            if (defense.Length == 0) throw new SpanException("remedy 'whitelist' needs a defense span, and this context has none");
            spec = spec with { Whitelist = defense };
        }
        if (remedy.Fair is { } fair)
        {
            var anchors = fair switch
            {
                "defense_system" => WithLabel(l => l is "defense" or "system"),
                "instructions" => WithLabel(l => l is "defense" or "prefix" || l.StartsWith("instr:", StringComparison.Ordinal)),
                _ => throw new SpanException($"unknown fair eviction scheme '{fair}'"),
            };
            spec = spec with { FairSpans = Partition(anchors.ToList()) };
        }
        return spec;
    }

    /// <summary>
    /// Anchors sorted by start become a partition of [0, L): each runs to the next anchor's start, the first from 0
    /// and the last to L (the paper's "each span extended to the sequence edge on its side", for N spans).
    /// </summary>
    IReadOnlyList<TokenSpan> Partition(IReadOnlyList<TokenSpan> anchors)
    {
        if (anchors.Count == 0) throw new SpanException("fair eviction needs at least one span, and this context has none");
        var sorted = anchors.OrderBy(a => a.Start).ToList();
        var result = new List<TokenSpan>();
        for (int i = 0; i < sorted.Count; i++)
        {
            int start = i == 0 ? 0 : sorted[i].Start;
            int end = i + 1 < sorted.Count ? sorted[i + 1].Start : ContextLength;
            if (end <= start) throw new SpanException($"spans '{sorted[i].Label}' and '{sorted[i + 1].Label}' start at the same token");
            result.Add(new TokenSpan(start, end, sorted.Count(s => s.Label == sorted[i].Label) > 1 ? $"{sorted[i].Label}#{i}" : sorted[i].Label));
        }
        return result;
    }

    /// <summary>Merges analysis labels back ("defense#2" into "defense"), weighting each piece by its token count.</summary>
    public IReadOnlyDictionary<string, double> MergeByLabel(IReadOnlyDictionary<string, double> perSpan)
    {
        var sums = new Dictionary<string, (double Weighted, int Tokens)>();
        foreach (var span in AnalysisSpans)
        {
            if (!perSpan.TryGetValue(span.Label, out var keep)) continue;
            var label = span.Label.Split('#')[0];
            var (w, n) = sums.GetValueOrDefault(label);
            sums[label] = (w + keep * span.Length, n + span.Length);
        }
        return sums.ToDictionary(s => s.Key, s => s.Value.Tokens == 0 ? 0 : s.Value.Weighted / s.Value.Tokens);
    }
}
