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
        press.Add(List());
        return press;
    }

    /// <summary>`kvgrid press list`: every press, its aliases, parameters (default, rule, meaning) and reference, from the definitions.</summary>
    static Command List()
    {
        var markdown = new Option<bool>("--markdown") { Description = "print the Markdown page (docs/presses.md is this output)" };
        var cmd = new Command("list", "List the presses, their parameters and defaults") { markdown };
        cmd.SetRun(p =>
        {
            if (p.GetValue(markdown)) { Console.Write(PressTable.Markdown()); return 0; }
            var table = new Table().AddColumn("press").AddColumn("aliases").AddColumn("parameters").AddColumn("method");
            foreach (var d in PressDefinitions.All)
                table.AddRow(Markup.Escape(d.Name), Markup.Escape(string.Join(", ", PressTable.AliasesOf(d))),
                    Markup.Escape(d.Parameters.Count == 0 ? "none" : string.Join("\n", d.Parameters.Select(PressTable.Describe))), Markup.Escape(d.Summary));
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    static Command Inspect()
    {
        var model = new ModelOptions();
        var options = new PressOptions(includeSeed: true);
        var ids = new Option<string?>("--ids") { Description = "comma-separated context token ids" };
        var prompt = new Option<string?>("--prompt") { Description = "context text (encoded with special tokens)" };
        var chat = new Option<string?>("--chat") { Description = "chat JSON file rendered without the generation prompt (the compressed context)" };
        var batch = new Option<string?>("--batch") { Description = "JSONL: {\"ids\":[..],\"press\":..,\"ratio\":R,\"window_size\":W?,\"keep\":[[S,E]]?,\"fair\":[[S,E]]?,\"fair_global\":true?} per line" };
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
                var resolved = lines.Select(x => { lmBatch.Validate(x.Ids, x.Where); var lineSpans = x.Request.Resolve(x.Ids, lmBatch.Tokenizer, x.Where); x.Request.CheckBudget(x.Ids.Length, lineSpans); return (x.Ids, Spans: lineSpans, x.Request); }).ToList();
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
        using var compressor = request.Observe(lm, context, spans, out var cache);
        cache.Dispose();
        var kept = compressor.KeptPositions(request.Ratio);
        var layers = kept.Select((t, l) => new { layer = l, kept = ToArrays(t) }).ToArray();
        return JsonSerializer.Serialize(new { seq_len = context.Length, layers });
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
        using var compressor = request.Observe(lm, context, spans, out var cache);
        cache.Dispose();
        var kept = compressor.KeptPositions(request.Ratio);
        var labelled = spans.Keep.Concat(spans.Fair).GroupBy(s => s.Label).Select(g => g.First()).ToList();
        var report = EvictionAnalysis.Compute(kept, context.Length, labelled);
        var special = lm.Tokenizer.AddedTokens.ToDictionary(kv => kv.Value, kv => kv.Key);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(request.Press.ToString())}[/] ratio {request.Ratio.ToString(CultureInfo.InvariantCulture)}: {context.Length} tokens, "
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
        Description = $"compression press: NAME or NAME(key=value, ...), e.g. 'snapkv(window_size=8)'; names: {string.Join(", ", PressDefinitions.Names)}"
            + $" (also {string.Join(", ", PressDefinitions.Aliases.Select(a => $"{a.Key} = {a.Value}"))}); the parameter flags below are shorthands",
    };
    public readonly Option<string?> Ratio = new("--ratio") { Description = "compression ratio in [0, 1): fraction of the context's cache entries evicted" };

    /// <summary>
    /// One shorthand flag per press parameter (`window_size` is `--window-size`), derived from the definitions; values
    /// are checked by the definitions' rules like any other spelling. `generate` leaves out `--seed`, its sampling seed.
    /// </summary>
    public readonly IReadOnlyDictionary<string, Option<string?>> ParameterFlags;

    /// <summary>The flag spelling of a press parameter.</summary>
    public static string FlagOf(string parameter) => "--" + parameter.Replace('_', '-');

    /// <summary>A flag's help from the press definitions: which presses read it, what it means, its default.</summary>
    static string Describe(string parameter)
    {
        var users = PressDefinitions.All.Where(d => d.Parameter(parameter) is not null).Select(d => d.Name);
        var definition = PressDefinitions.All.Select(d => d.Parameter(parameter)).First(p => p is not null)!;
        return $"{string.Join("/", users)}: {definition.Meaning} (default {definition.Default})";
    }
    public readonly Option<string?> Keep = new("--keep") { Description = "whitelist: START:END[,...] token positions always kept (END exclusive)" };
    public readonly Option<string?> Fair = new("--fair") { Description = "fair eviction spans START:END[,...], each keeping its share of the budget: " + RemedyDefinitions.FairPart(FairSpans.DefenseSystem, true).Meaning };
    public readonly Option<string[]> KeepText = new("--keep-text") { Description = "whitelist the tokens of this text (repeatable)", AllowMultipleArgumentsPerToken = false };
    public readonly Option<string[]> FairText = new("--fair-text") { Description = "a fair-eviction span given by its text (repeatable)", AllowMultipleArgumentsPerToken = false };
    public readonly Option<bool> GlobalWindows = new("--fair-global", "--fair-global-windows") { Description = "with --fair: " + RemedyDefinitions.FairPart(FairSpans.DefenseSystem, false).Meaning + " (a spec's fair_global)" };

    public PressOptions(bool includeSeed)
    {
        _includeSeed = includeSeed;
        ParameterFlags = PressDefinitions.ParameterNames.Where(n => includeSeed || n != "seed")
            .ToDictionary(n => n, n => new Option<string?>(FlagOf(n)) { Description = Describe(n) });
    }

    public void AddTo(Command c)
    {
        c.Add(Press); c.Add(Ratio);
        foreach (var flag in ParameterFlags.Values) c.Add(flag);
        c.Add(Keep); c.Add(Fair); c.Add(KeepText); c.Add(FairText); c.Add(GlobalWindows);
    }

    /// <summary>
    /// The request from flags, or null when --press is absent (then no other press flag may be given). The parameter
    /// flags are shorthands for the expression's key=value arguments. <paramref name="seed"/>: the sampling seed
    /// `generate` also gives the random press when neither --press nor a flag sets one.
    /// </summary>
    public PressRequest? Read(ParseResult p, long? seed)
    {
        var text = p.GetValue(Press);
        var keep = SpanSyntax.Parse(p.GetValue(Keep), "--keep", "keep");
        var fair = SpanSyntax.Parse(p.GetValue(Fair), "--fair", "fair");
        var keepText = p.GetValue(KeepText) ?? [];
        var fairText = p.GetValue(FairText) ?? [];
        if (text is null)
        {
            if (p.GetValue(Ratio) is not null || keep.Count + fair.Count + keepText.Length + fairText.Length > 0)
                throw new KvGridException("--ratio, --keep and --fair need --press");
            return null;
        }
        var press = PressRequest.ParseExpression(text, "--press");
        var shorthands = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (parameter, flag) in ParameterFlags)
            if (p.GetValue(flag) is { } value) shorthands[parameter] = value.Trim();
        press = PressRequest.WithShorthands(press, shorthands, "--press", FlagOf);
        if (seed is { } sampling && press.Definition.Parameter("seed") is not null && !press.Given.ContainsKey("seed"))
            press = PressRequest.WithShorthands(press, new Dictionary<string, string> { ["seed"] = sampling.ToString(CultureInfo.InvariantCulture) }, "--press", _ => "--seed");
        var ratioText = p.GetValue(Ratio) ?? throw new KvGridException("--press needs --ratio");
        var request = new PressRequest(press, ParseRatio(ratioText, "--ratio"), keep, fair, keepText, fairText, !p.GetValue(GlobalWindows));
        request.CheckScorer("--press"); // reject bad parameters before any model is loaded
        return request;
    }

    public static double ParseRatio(string text, string where) => CompressionRatio.Parse(text, where);
}
