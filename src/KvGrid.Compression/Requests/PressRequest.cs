using System.Globalization;
using System.Text.Json;
using KvGrid.Engine;
using KvGrid.Engine.Caching;
using KvGrid.Engine.Tokenization;
using KvGrid.Presses;

namespace KvGrid.Compression;

/// <summary>
/// A press applied to one context at one ratio, with its remedies: whitelist and fair-eviction spans given as token
/// positions or as texts to find in the context. What `press inspect` and `generate` run, from flags or a JSONL line.
/// </summary>
public sealed record PressRequest(
    PressExpression Press, double Ratio,
    IReadOnlyList<TokenSpan> KeepSpans, IReadOnlyList<TokenSpan> FairSpans,
    IReadOnlyList<string> KeepTexts, IReadOnlyList<string> FairTexts, bool SpanLocalWindows)
{
    public IPressScorer CreateScorer() => PressRegistry.Create(Press);

    /// <summary>Positions plus located texts, checked against the context.</summary>
    public ResolvedSpans Resolve(IReadOnlyList<int> context, HfTokenizer tokenizer, string where)
    {
        try
        {
            var keep = KeepSpans.Concat(KeepTexts.Count == 0 ? [] : SpanLocator.LocateAll(tokenizer, context, KeepTexts)).ToArray();
            var fair = FairSpans.Concat(FairTexts.Count == 0 ? [] : SpanLocator.LocateAll(tokenizer, context, FairTexts)).ToArray();
            var resolved = new ResolvedSpans(keep, fair);
            resolved.Remedy(SpanLocalWindows).Validate(context.Count);
            return resolved;
        }
        catch (SpanException e) { throw new CompressionException($"{where}: {e.Message}"); }
    }

    /// <summary>An over-budget whitelist, found before any compute (batch lines are all checked first).</summary>
    public void CheckBudget(int contextLength, ResolvedSpans spans) =>
        ContextCompressor.CheckWhitelistFits(CreateScorer(), spans.Remedy(SpanLocalWindows).WhitelistPositions().Length, contextLength, Ratio);

    /// <summary>
    /// Prefills the context with the press observing every layer (the cache comes back uncompressed until Select).
    /// An over-budget whitelist fails before the prefill.
    /// </summary>
    public ContextCompressor Observe(LanguageModel lm, IReadOnlyList<int> context, ResolvedSpans spans, out ContextCache cache)
    {
        var compressor = new ContextCompressor(CreateScorer(), spans.Remedy(SpanLocalWindows), lm.Model.Config);
        try
        {
            compressor.Validate(context.Count);
            compressor.CheckWhitelistFits(context.Count, Ratio);
            cache = lm.Model.Prefill(context, compressor);
            return compressor;
        }
        catch { compressor.Dispose(); throw; }
    }

    /// <summary>The context compressed at the request's ratio (the caller disposes it).</summary>
    public ContextCache Compress(LanguageModel lm, IReadOnlyList<int> context, ResolvedSpans spans)
    {
        using var compressor = Observe(lm, context, spans, out var cache);
        using (cache)
        {
            var kept = compressor.KeptPositions(Ratio);
            try { return cache.Select(kept); }
            finally { foreach (var t in kept) t.Dispose(); }
        }
    }

    /// <summary>
    /// A JSONL line's press fields. <c>"press"</c> is a press expression; parameter fields (<c>"window_size"</c>, ...)
    /// are shorthands that may not repeat one the expression gives. Absent fields come from the command line's request.
    /// </summary>
    public static PressRequest FromJson(JsonElement item, string where, PressRequest? defaults)
    {
        var press = defaults?.Press;
        if (item.TryGetProperty("press", out var pe) && pe.ValueKind != JsonValueKind.Null)
        {
            if (pe.ValueKind != JsonValueKind.String) throw new CompressionException($"{where}: 'press' must be a string");
            var named = ParseExpression(pe.GetString()!, $"{where}: 'press'");
            // The command line's parameters still apply to a line naming the same press (and only to it).
            if (defaults?.Press is { } d && d.Name == named.Name && named.Inner is null)
                named = named with { Given = d.Given.Concat(named.Given).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal) };
            press = named;
        }
        if (press is null) throw new CompressionException($"{where}: missing 'press'");
        double? ratio = defaults?.Ratio;
        if (item.TryGetProperty("ratio", out var re) && re.ValueKind != JsonValueKind.Null)
            ratio = re.ValueKind == JsonValueKind.Number ? CompressionRatio.Check(re.GetDouble(), re.GetRawText(), where) : throw new CompressionException($"{where}: 'ratio' must be a number");
        if (ratio is not { } r) throw new CompressionException($"{where}: missing 'ratio'");
        var shorthands = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in PressDefinitions.ParameterNames)
            if (item.TryGetProperty(parameter, out var v) && v.ValueKind != JsonValueKind.Null)
                shorthands[parameter] = v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture)
                    : throw new CompressionException($"{where}: '{parameter}' must be an integer");
        press = WithShorthands(press, shorthands, where, key => $"'{key}'");
        var keep = item.TryGetProperty("keep", out var k) ? SpanSyntax.FromJson(k, $"{where}: 'keep'", "keep") : defaults?.KeepSpans ?? [];
        var fair = item.TryGetProperty("fair", out var f) ? SpanSyntax.FromJson(f, $"{where}: 'fair'", "fair") : defaults?.FairSpans ?? [];
        var keepText = item.TryGetProperty("keep_text", out var kt) ? SpanSyntax.Strings(kt, $"{where}: 'keep_text'") : defaults?.KeepTexts ?? [];
        var fairText = item.TryGetProperty("fair_text", out var ft) ? SpanSyntax.Strings(ft, $"{where}: 'fair_text'") : defaults?.FairTexts ?? [];
        // "fair" spans get the paper's fair eviction; "fair_global": true the per-span quotas over global scores
        // (RemedyDefinitions' fair_global). "span_local_windows": false is that flag's former spelling.
        bool spanLocal = defaults?.SpanLocalWindows ?? true;
        if (item.TryGetProperty("fair_global", out var fg) && fg.ValueKind != JsonValueKind.Null)
            spanLocal = fg.ValueKind switch { JsonValueKind.True => false, JsonValueKind.False => true, _ => throw new CompressionException($"{where}: 'fair_global' must be true or false") };
        else if (item.TryGetProperty("span_local_windows", out var sl) && sl.ValueKind != JsonValueKind.Null)
            spanLocal = sl.ValueKind != JsonValueKind.False;
        var request = new PressRequest(press, r, keep, fair, keepText, fairText, spanLocal);
        request.CheckScorer(where);
        return request;
    }

    /// <summary>A press expression from user text; the error names where the text came from.</summary>
    public static PressExpression ParseExpression(string text, string where)
    {
        try { return PressExpression.Parse(text); }
        catch (PressExpressionException e) { throw new CompressionException($"{where}: {e.Message}"); }
    }

    /// <summary>
    /// The press with shorthand parameters (flags, JSON fields) merged in. A shorthand for a parameter the expression
    /// already sets to another value is an error; one the press does not have is an error too.
    /// </summary>
    public static PressExpression WithShorthands(PressExpression press, IReadOnlyDictionary<string, string> shorthands, string where, Func<string, string> nameOf)
    {
        if (shorthands.Count == 0) return press;
        var values = new Dictionary<string, string>(press.Given, StringComparer.Ordinal);
        foreach (var (key, value) in shorthands)
        {
            if (press.Definition.Parameter(key) is null)
                throw new CompressionException($"{where}: {nameOf(key)}: {PressExpression.UnknownParameter(press.Definition, key)}");
            if (press.Given.TryGetValue(key, out var given) && given != value)
                throw new CompressionException($"{where}: {nameOf(key)} {value} contradicts the press expression's {key}={given}");
            values[key] = value;
        }
        try { return PressExpression.Create(press.Name, values, press.Inner); }
        catch (PressExpressionException e) { throw new CompressionException($"{where}: {e.Message}"); }
    }

    /// <summary>Builds the scorer once, so bad parameters fail before any model is loaded.</summary>
    public void CheckScorer(string where)
    {
        try { CreateScorer(); }
        catch (CompressionException e) when (!e.Message.StartsWith(where, StringComparison.Ordinal)) { throw new CompressionException($"{where}: {e.Message}"); }
    }
}

/// <summary>Whitelist and fair spans in token positions.</summary>
public sealed record ResolvedSpans(IReadOnlyList<TokenSpan> Keep, IReadOnlyList<TokenSpan> Fair)
{
    public RemedySpec Remedy(bool spanLocalWindows) => new() { Whitelist = Keep, FairSpans = Fair, SpanLocalWindows = spanLocalWindows };
}

/// <summary>Compression ratios from user text: a number in [0, 1), the fraction of the context's cache entries evicted.</summary>
public static class CompressionRatio
{
    public static double Parse(string text, string where)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var r))
            throw new CompressionException($"{where}: '{text}' is not a number");
        return Check(r, text, where);
    }

    public static double Check(double ratio, string text, string where) =>
        ratio >= 0 && ratio < 1 ? ratio : throw new CompressionException($"{where}: compression ratio {text} must be in [0, 1)");
}

/// <summary>START:END[,...] span lists (END exclusive) from flags and [[S,E],...] from JSON.</summary>
public static class SpanSyntax
{
    public static IReadOnlyList<TokenSpan> Parse(string? text, string flag, string label)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var spans = new TokenSpan[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            var se = parts[i].Split(':');
            if (se.Length != 2 || !int.TryParse(se[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                || !int.TryParse(se[1], NumberStyles.None, CultureInfo.InvariantCulture, out var e))
                throw new CompressionException($"{flag}: '{parts[i]}' (item {i + 1}) is not START:END with non-negative integers");
            if (e <= s) throw new CompressionException($"{flag}: '{parts[i]}' (item {i + 1}) is empty (END must be greater than START)");
            spans[i] = new TokenSpan(s, e, $"{label}{i}");
        }
        return spans;
    }

    public static IReadOnlyList<TokenSpan> FromJson(JsonElement e, string where, string label)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new CompressionException($"{where} must be an array of [START, END] pairs");
        return e.EnumerateArray().Select((x, i) =>
            x.ValueKind == JsonValueKind.Array && x.GetArrayLength() == 2 && x[0].TryGetInt32(out var s) && x[1].TryGetInt32(out var end) && s >= 0 && end > s
                ? new TokenSpan(s, end, $"{label}{i}")
                : throw new CompressionException($"{where}[{i}] must be [START, END] with 0 <= START < END")).ToArray();
    }

    public static IReadOnlyList<string> Strings(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String)
            ? e.EnumerateArray().Select(x => x.GetString()!).ToArray()
            : throw new CompressionException($"{where} must be an array of strings");
}
