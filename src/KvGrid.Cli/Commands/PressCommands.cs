using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using KvGrid.Compression;
using KvGrid.Engine;
using KvGrid.Engine.Caching;
using KvGrid.Engine.Tokenization;
using KvGrid.Presses;
using Spectre.Console;
using static TorchSharp.torch;

namespace KvGrid.Cli.Commands;

/// <summary>
/// `kvgrid press inspect`: which cache entries a press keeps for a context (JSON: seq_len and, per layer, the
/// ascending positions kept by each KV head), or, for --prompt/--chat without --json, a coloured view of each
/// token's keep rate. The press options here are shared with `kvgrid generate`.
/// </summary>
public static class PressCommands
{
    public static Command Create()
    {
        var press = new Command("press", "KV cache compression presses");
        press.Add(Inspect());
        return press;
    }

    static Command Inspect()
    {
        var model = new ModelOptions();
        var options = new PressOptions(includeSeed: true);
        var ids = new Option<string?>("--ids") { Description = "comma-separated context token ids" };
        var prompt = new Option<string?>("--prompt") { Description = "context text (encoded with special tokens)" };
        var chat = new Option<string?>("--chat") { Description = "chat JSON file rendered without the generation prompt (the compressed context)" };
        var batch = new Option<string?>("--batch") { Description = "JSONL: {\"ids\":[..],\"press\":..,\"ratio\":R,\"window_size\":W?,\"keep\":[[S,E]]?,\"fair\":[[S,E]]?} per line" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var cmd = new Command("inspect", "Show which KV cache entries a press keeps") { ids, prompt, chat, batch, json };
        model.AddTo(cmd);
        options.AddTo(cmd);
        cmd.SetRun(p =>
        {
            var defaults = options.Read(p, null);
            if (p.GetValue(batch) is { } batchFile)
            {
                // Parse and validate every line before loading the model and computing anything.
                var lines = InputParsing.ReadJsonl(batchFile)
                    .Select(x => (Where: $"{batchFile}:{x.Line}", Ids: RequireIds(x.Item, $"{batchFile}:{x.Line}"), Request: PressRequest.FromJson(x.Item, $"{batchFile}:{x.Line}", defaults)))
                    .ToList();
                using var lmBatch = model.Load(p);
                var resolved = lines.Select(x => { lmBatch.Validate(x.Ids, x.Where); return (x.Ids, Spans: x.Request.Resolve(x.Ids, lmBatch.Tokenizer, x.Where), x.Request); }).ToList();
                foreach (var (lineIds, lineSpans, lineRequest) in resolved)
                    Console.WriteLine(KeptJson(lmBatch, lineIds, lineRequest, lineSpans));
                return 0;
            }
            var request = defaults ?? throw new KvGridException("press inspect: give --press and --ratio");
            using var lm = model.Load(p);
            int[] context;
            bool textInput = true;
            if (p.GetValue(ids) is { } idText) { context = InputParsing.ParseIds(idText, "--ids"); textInput = false; }
            else if (p.GetValue(prompt) is { } text) context = lm.Tokenizer.Encode(text);
            else if (p.GetValue(chat) is { } chatFile) context = lm.EncodeChat(InputParsing.ReadChatFile(chatFile), false);
            else throw new KvGridException("press inspect: give --ids, --prompt, --chat or --batch");
            if (context.Length == 0) throw new KvGridException("press inspect: empty context");
            lm.Validate(context, "--ids");
            var spans = request.Resolve(context, lm.Tokenizer, "press inspect");
            if (p.GetValue(json) || !textInput) Console.WriteLine(KeptJson(lm, context, request, spans));
            else ShowKeepRates(lm, context, request, spans);
            return 0;
        });
        return cmd;
    }

    static int[] RequireIds(JsonElement item, string where)
    {
        if (!item.TryGetProperty("ids", out var idsEl)) throw new KvGridException($"{where}: missing 'ids'");
        var ids = InputParsing.IdsFromJson(idsEl, where);
        return ids.Length > 0 ? ids : throw new KvGridException($"{where}: empty 'ids'");
    }

    static string KeptJson(LanguageModel lm, int[] context, PressRequest request, ResolvedSpans spans)
    {
        using var scope = NewDisposeScope();
        using var compressor = Observe(lm, context, request, spans, out var cache);
        cache.Dispose();
        var kept = compressor.KeptPositions(request.Ratio);
        var layers = kept.Select((t, l) => new { layer = l, kept = ToArrays(t) }).ToArray();
        return JsonSerializer.Serialize(new { seq_len = context.Length, layers });
    }

    /// <summary>Prefills the context with the press observing every layer; the cache is uncompressed until Select.</summary>
    public static ContextCompressor Observe(LanguageModel lm, IReadOnlyList<int> context, PressRequest request, ResolvedSpans spans, out ContextCache cache)
    {
        var remedy = spans.Remedy(request.SpanLocalWindows);
        var compressor = new ContextCompressor(request.CreateScorer(), remedy, lm.Model.Config);
        try
        {
            compressor.Validate(context.Count);
            request.CheckBudget(context.Count, remedy);
            cache = lm.Model.Prefill(context, compressor);
            return compressor;
        }
        catch { compressor.Dispose(); throw; }
    }

    /// <summary>The context compressed at the request's ratio (the caller disposes it).</summary>
    public static ContextCache Compress(LanguageModel lm, IReadOnlyList<int> context, PressRequest request, ResolvedSpans spans)
    {
        using var compressor = Observe(lm, context, request, spans, out var cache);
        using (cache)
        {
            var kept = compressor.KeptPositions(request.Ratio);
            try { return cache.Select(kept); }
            finally { foreach (var t in kept) t.Dispose(); }
        }
    }

    static int[][] ToArrays(Tensor kept)
    {
        var k = kept.cpu();
        long heads = k.shape[0], n = k.shape[1];
        var flat = k.data<long>().ToArray();
        return Enumerable.Range(0, (int)heads).Select(h => flat.AsSpan((int)(h * n), (int)n).ToArray().Select(x => (int)x).ToArray()).ToArray();
    }

    /// <summary>Each token coloured by its keep rate (red evicted everywhere .. green kept everywhere), then per-span keep percentages.</summary>
    static void ShowKeepRates(LanguageModel lm, int[] context, PressRequest request, ResolvedSpans spans)
    {
        using var scope = NewDisposeScope();
        using var compressor = Observe(lm, context, request, spans, out var cache);
        cache.Dispose();
        var kept = compressor.KeptPositions(request.Ratio);
        var labelled = spans.Keep.Concat(spans.Fair).GroupBy(s => s.Label).Select(g => g.First()).ToList();
        var report = EvictionAnalysis.Compute(kept, context.Length, labelled);
        var special = lm.Tokenizer.AddedTokens.ToDictionary(kv => kv.Value, kv => kv.Key);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(request.Press)}[/] ratio {request.Ratio.ToString(CultureInfo.InvariantCulture)}: {context.Length} tokens, "
            + $"{ContextCompressor.NKept(context.Length, request.Ratio)} kept per head (colour = share of layer-head pairs keeping the token: [red]0[/] .. [yellow]0.5[/] .. [green]1[/])");
        var line = new System.Text.StringBuilder();
        for (int i = 0; i < context.Length; i++)
        {
            var text = special.TryGetValue(context[i], out var name) ? name : lm.Tokenizer.Decode([context[i]]);
            line.Append($"[{Colour(report.KeepRate[i])}]{Markup.Escape(text)}[/]");
        }
        AnsiConsole.MarkupLine(line.ToString());
        if (labelled.Count == 0) return;
        var table = new Table().AddColumn("span").AddColumn("tokens").AddColumn("kept");
        foreach (var s in labelled)
            table.AddRow(Markup.Escape(s.Label), $"{s.Start}:{s.End}", $"{report.SpanKeepPercentage[s.Label] * 100:F1}%");
        AnsiConsole.Write(table);
    }

    static string Colour(double rate)
    {
        // red (0) -> yellow (0.5) -> green (1)
        int r = rate < 0.5 ? 255 : (int)(255 * (1 - rate) * 2);
        int g = rate < 0.5 ? (int)(255 * rate * 2) : 200;
        return $"#{r:X2}{g:X2}00";
    }
}

/// <summary>Press options shared by `press inspect` and `generate`.</summary>
public sealed class PressOptions
{
    readonly bool _includeSeed;
    public readonly Option<string?> Press = new("--press")
    {
        Description = $"compression press: {string.Join(", ", PressDefinitions.Names)} (also {string.Join(", ", PressDefinitions.Aliases.Select(a => $"{a.Key} = {a.Value}"))})",
    };
    public readonly Option<string?> Ratio = new("--ratio") { Description = "compression ratio in [0, 1): fraction of the context's cache entries evicted" };
    public readonly Option<int?> WindowSize = new("--window-size") { Description = Describe("window_size") };
    public readonly Option<int?> KernelSize = new("--kernel-size") { Description = Describe("kernel_size") };
    public readonly Option<int?> NSink = new("--n-sink") { Description = Describe("n_sink") };
    public readonly Option<int?> Beta = new("--beta") { Description = Describe("beta") };
    public readonly Option<long> Seed = new("--seed") { Description = Describe("seed"), DefaultValueFactory = _ => long.Parse(Definition("seed").Default, CultureInfo.InvariantCulture) };

    /// <summary>A flag's help from the press definitions: which presses read it, what it means, its default.</summary>
    static string Describe(string parameter)
    {
        var users = PressDefinitions.All.Where(d => d.Parameter(parameter) is not null).Select(d => d.Name);
        var definition = Definition(parameter);
        return $"{string.Join("/", users)}: {definition.Meaning} (default {definition.Default})";
    }

    static PressParameter Definition(string parameter) => PressDefinitions.All.Select(d => d.Parameter(parameter)).First(p => p is not null)!;
    public readonly Option<string?> Keep = new("--keep") { Description = "whitelist: START:END[,...] token positions always kept (END exclusive)" };
    public readonly Option<string?> Fair = new("--fair") { Description = "fair eviction spans: START:END[,...] (budget split in proportion to span lengths)" };
    public readonly Option<string[]> KeepText = new("--keep-text") { Description = "whitelist the tokens of this text (repeatable)", AllowMultipleArgumentsPerToken = false };
    public readonly Option<string[]> FairText = new("--fair-text") { Description = "a fair-eviction span given by its text (repeatable)", AllowMultipleArgumentsPerToken = false };
    public readonly Option<bool> GlobalWindows = new("--fair-global-windows") { Description = "fair eviction without span-local observation windows (the press's own scores)" };

    public PressOptions(bool includeSeed) { _includeSeed = includeSeed; }

    public void AddTo(Command c)
    {
        c.Add(Press); c.Add(Ratio); c.Add(WindowSize); c.Add(KernelSize); c.Add(NSink); c.Add(Beta);
        if (_includeSeed) c.Add(Seed);
        c.Add(Keep); c.Add(Fair); c.Add(KeepText); c.Add(FairText); c.Add(GlobalWindows);
    }

    /// <summary>The request from flags, or null when --press is absent (then no other press flag may be given).</summary>
    public PressRequest? Read(ParseResult p, long? seed)
    {
        var name = p.GetValue(Press);
        var keep = SpanSyntax.Parse(p.GetValue(Keep), "--keep", "keep");
        var fair = SpanSyntax.Parse(p.GetValue(Fair), "--fair", "fair");
        var keepText = p.GetValue(KeepText) ?? [];
        var fairText = p.GetValue(FairText) ?? [];
        if (name is null)
        {
            if (p.GetValue(Ratio) is not null || keep.Count + fair.Count + keepText.Length + fairText.Length > 0)
                throw new KvGridException("--ratio, --keep and --fair need --press");
            return null;
        }
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(string key, int? v) { if (v is { } x) parameters[key] = x.ToString(CultureInfo.InvariantCulture); }
        Put("window_size", p.GetValue(WindowSize)); Put("kernel_size", p.GetValue(KernelSize)); Put("n_sink", p.GetValue(NSink)); Put("beta", p.GetValue(Beta));
        parameters["seed"] = (seed ?? p.GetValue(Seed)).ToString(CultureInfo.InvariantCulture);
        var ratioText = p.GetValue(Ratio) ?? throw new KvGridException("--press needs --ratio");
        var request = new PressRequest(PressRegistry.Canonical(name), parameters, ParseRatio(ratioText, "--ratio"),
            keep, fair, keepText, fairText, !p.GetValue(GlobalWindows));
        request.CreateScorer(); // reject bad parameters before any model is loaded
        return request;
    }

    public static double ParseRatio(string text, string where)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var r))
            throw new KvGridException($"{where}: '{text}' is not a number");
        if (!(r >= 0 && r < 1)) throw new KvGridException($"{where}: compression ratio {text} must be in [0, 1)");
        return r;
    }
}

/// <summary>A press with its ratio and remedies; spans given as positions or as text to find in the context.</summary>
public sealed record PressRequest(
    string Press, IReadOnlyDictionary<string, string> Parameters, double Ratio,
    IReadOnlyList<TokenSpan> KeepSpans, IReadOnlyList<TokenSpan> FairSpans,
    IReadOnlyList<string> KeepTexts, IReadOnlyList<string> FairTexts, bool SpanLocalWindows)
{
    public IPressScorer CreateScorer() => PressRegistry.Create(Press, Parameters);

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
        catch (SpanException e) { throw new KvGridException($"{where}: {e.Message}"); }
    }

    /// <summary>An over-budget whitelist fails before the prefill (per-layer budgets are checked again after it).</summary>
    public void CheckBudget(int contextLength, RemedySpec remedy)
    {
        if (Ratio == 0 || !remedy.HasWhitelist) return;
        int forced = remedy.WhitelistPositions().Length, nKept = ContextCompressor.NKept(contextLength, Ratio);
        if (forced > nKept && Press != "pyramidkv")
            throw new KvGridException($"whitelist keeps {forced} positions but ratio {Ratio.ToString(CultureInfo.InvariantCulture)} keeps only {nKept} of {contextLength} tokens");
    }

    static readonly string[] ParameterNames = ["window_size", "kernel_size", "n_sink", "beta", "seed"];

    /// <summary>A JSONL line's press fields; absent fields come from the command line's request.</summary>
    public static PressRequest FromJson(JsonElement item, string where, PressRequest? defaults)
    {
        string? press = item.TryGetProperty("press", out var pe) && pe.ValueKind != JsonValueKind.Null
            ? (pe.ValueKind == JsonValueKind.String ? pe.GetString() : throw new KvGridException($"{where}: 'press' must be a string")) : defaults?.Press;
        if (press is null) throw new KvGridException($"{where}: missing 'press'");
        double? ratio = item.TryGetProperty("ratio", out var re) && re.ValueKind != JsonValueKind.Null
            ? (re.ValueKind == JsonValueKind.Number ? re.GetDouble() : throw new KvGridException($"{where}: 'ratio' must be a number")) : defaults?.Ratio;
        if (ratio is not { } r) throw new KvGridException($"{where}: missing 'ratio'");
        if (!(r >= 0 && r < 1)) throw new KvGridException($"{where}: compression ratio {re.GetRawText()} must be in [0, 1)");
        var parameters = new Dictionary<string, string>(defaults?.Parameters ?? new Dictionary<string, string> { ["seed"] = "42" }, StringComparer.Ordinal);
        foreach (var name in ParameterNames)
            if (item.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
                parameters[name] = v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture)
                    : throw new KvGridException($"{where}: '{name}' must be an integer");
        string canonical;
        try { canonical = PressRegistry.Canonical(press); PressRegistry.Create(canonical, parameters); }
        catch (CompressionException e) { throw new KvGridException($"{where}: {e.Message}"); }
        var keep = item.TryGetProperty("keep", out var k) ? SpanSyntax.FromJson(k, $"{where}: 'keep'", "keep") : defaults?.KeepSpans ?? [];
        var fair = item.TryGetProperty("fair", out var f) ? SpanSyntax.FromJson(f, $"{where}: 'fair'", "fair") : defaults?.FairSpans ?? [];
        var keepText = item.TryGetProperty("keep_text", out var kt) ? SpanSyntax.Strings(kt, $"{where}: 'keep_text'") : defaults?.KeepTexts ?? [];
        var fairText = item.TryGetProperty("fair_text", out var ft) ? SpanSyntax.Strings(ft, $"{where}: 'fair_text'") : defaults?.FairTexts ?? [];
        bool spanLocal = item.TryGetProperty("span_local_windows", out var sl) ? sl.ValueKind != JsonValueKind.False : defaults?.SpanLocalWindows ?? true;
        return new PressRequest(canonical, parameters, r, keep, fair, keepText, fairText, spanLocal);
    }
}

/// <summary>Whitelist and fair spans in token positions.</summary>
public sealed record ResolvedSpans(IReadOnlyList<TokenSpan> Keep, IReadOnlyList<TokenSpan> Fair)
{
    public RemedySpec Remedy(bool spanLocalWindows) => new() { Whitelist = Keep, FairSpans = Fair, SpanLocalWindows = spanLocalWindows };
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
                throw new KvGridException($"{flag}: '{parts[i]}' (item {i + 1}) is not START:END with non-negative integers");
            if (e <= s) throw new KvGridException($"{flag}: '{parts[i]}' (item {i + 1}) is empty (END must be greater than START)");
            spans[i] = new TokenSpan(s, e, $"{label}{i}");
        }
        return spans;
    }

    public static IReadOnlyList<TokenSpan> FromJson(JsonElement e, string where, string label)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new KvGridException($"{where} must be an array of [START, END] pairs");
        return e.EnumerateArray().Select((x, i) =>
            x.ValueKind == JsonValueKind.Array && x.GetArrayLength() == 2 && x[0].TryGetInt32(out var s) && x[1].TryGetInt32(out var end) && s >= 0 && end > s
                ? new TokenSpan(s, end, $"{label}{i}")
                : throw new KvGridException($"{where}[{i}] must be [START, END] with 0 <= START < END")).ToArray();
    }

    public static IReadOnlyList<string> Strings(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String)
            ? e.EnumerateArray().Select(x => x.GetString()!).ToArray()
            : throw new KvGridException($"{where} must be an array of strings");
}
