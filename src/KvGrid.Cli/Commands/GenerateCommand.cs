using System.CommandLine;
using System.Text.Json;
using KvGrid.Compression;
using KvGrid.Engine;
using KvGrid.Engine.Generation;
using KvGrid.Engine.Tokenization;

namespace KvGrid.Cli.Commands;

/// <summary>
/// `kvgrid generate`: the first K ids (--context-len, default all) are prefilled as the context, the rest are fed
/// on top with their original positions, then decoding runs (greedy unless --temperature). With --press the
/// context is compressed after its prefill (kvpress semantics: the prefill itself is uncompressed, so with no
/// suffix the first new token comes from the uncompressed prefill logits; later tokens see the pruned cache).
/// --seed also seeds the random press.
/// </summary>
public static class GenerateCommand
{
    /// <summary>One generation request, from flags or a batch line.</summary>
    public sealed record Request(int[] Ids, int MaxNewTokens, int? ContextLen, bool TextInput, PressRequest? Press = null, ResolvedSpans? Spans = null);

    public static Command Create()
    {
        var model = new ModelOptions();
        var ids = new Option<string?>("--ids") { Description = "comma-separated prompt token ids" };
        var prompt = new Option<string?>("--prompt") { Description = "prompt text (encoded with special tokens)" };
        var chat = new Option<string?>("--chat") { Description = "chat JSON file, rendered with the generation prompt" };
        var batch = new Option<string?>("--batch") { Description = "JSONL: {\"ids\":[..],\"max_new_tokens\":N,\"context_len\":K,\"press\":..,\"ratio\":R,...} per line" };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "tokens to generate at most", DefaultValueFactory = _ => 64 };
        var contextLen = new Option<int?>("--context-len") { Description = "prefill the first K ids as the (compressible) context, feed the rest on top" };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy (default)" };
        var topK = new Option<int>("--top-k") { Description = "sample from the k most likely tokens (with --temperature)" };
        var topP = new Option<double>("--top-p") { Description = "nucleus sampling threshold (with --temperature)", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<long>("--seed") { Description = "sampling seed", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var cmd = new Command("generate", "Generate a continuation with a model") { ids, prompt, chat, batch, maxNew, contextLen, temperature, topK, topP, seed, json };
        model.AddTo(cmd);
        var pressOptions = new PressOptions(includeSeed: false);
        pressOptions.AddTo(cmd);
        cmd.SetRun(p =>
        {
            var press = pressOptions.Read(p, p.GetValue(seed));
            using var lm = model.Load(p);
            var options = new GenerationOptions
            {
                Temperature = p.GetValue(temperature), TopK = p.GetValue(topK), TopP = p.GetValue(topP), Seed = p.GetValue(seed), StopIds = lm.StopIds.ToArray(),
            };
            bool asJson = p.GetValue(json);
            if (p.GetValue(batch) is { } batchFile)
            {
                // Validate every line before generating, so a bad line costs no compute.
                var requests = InputParsing.ReadJsonl(batchFile).Select(x => ParseBatchLine(x.Item, $"{batchFile}:{x.Line}", lm, p.GetValue(maxNew), press)).ToList();
                foreach (var r in requests) Console.WriteLine(JsonSerializer.Serialize(new { ids = Run(lm, r, options) }));
                return 0;
            }
            Request request;
            if (p.GetValue(ids) is { } idText) request = new Request(InputParsing.ParseIds(idText, "--ids"), p.GetValue(maxNew), p.GetValue(contextLen), false, press);
            else if (p.GetValue(prompt) is { } text) request = new Request(lm.Tokenizer.Encode(text), p.GetValue(maxNew), p.GetValue(contextLen), true, press);
            else if (p.GetValue(chat) is { } chatFile) request = new Request(lm.EncodeChat(InputParsing.ReadChatFile(chatFile), true), p.GetValue(maxNew), p.GetValue(contextLen), true, press);
            else throw new KvGridException("generate: give --ids, --prompt, --chat or --batch");
            request = Check(lm, request, "--ids");
            var output = Run(lm, request, options);
            if (asJson)
                Console.WriteLine(request.TextInput ? JsonSerializer.Serialize(new { ids = output, text = lm.Tokenizer.Decode(output) }) : JsonSerializer.Serialize(new { ids = output }));
            else Console.WriteLine(request.TextInput ? lm.Tokenizer.Decode(output) : string.Join(",", output));
            return 0;
        });
        return cmd;
    }

    static Request ParseBatchLine(JsonElement item, string where, LanguageModel lm, int defaultMaxNew, PressRequest? defaultPress)
    {
        if (!item.TryGetProperty("ids", out var idsEl)) throw new KvGridException($"{where}: missing 'ids'");
        var ids = InputParsing.IdsFromJson(idsEl, where);
        int maxNew = item.TryGetProperty("max_new_tokens", out var m) ? (m.TryGetInt32(out var v) && v >= 0 ? v : throw new KvGridException($"{where}: 'max_new_tokens' must be a non-negative integer")) : defaultMaxNew;
        int? ctx = item.TryGetProperty("context_len", out var c) && c.ValueKind != JsonValueKind.Null
            ? (c.TryGetInt32(out var k) ? k : throw new KvGridException($"{where}: 'context_len' must be an integer")) : null;
        var press = item.TryGetProperty("press", out _) || defaultPress is not null ? PressRequest.FromJson(item, where, defaultPress) : null;
        return Check(lm, new Request(ids, maxNew, ctx, false, press), where);
    }

    /// <summary>Validates a request; with a press, also resolves its spans against the context (the first K ids).</summary>
    static Request Check(LanguageModel lm, Request r, string where)
    {
        if (r.Ids.Length == 0) throw new KvGridException($"{where}: empty prompt");
        lm.Validate(r.Ids, where);
        if (r.ContextLen is { } k && (k < 1 || k > r.Ids.Length))
            throw new KvGridException($"{where}: context_len {k} must be between 1 and the number of ids ({r.Ids.Length})");
        if (r.MaxNewTokens < 0) throw new KvGridException($"{where}: max_new_tokens must be >= 0");
        if (r.Press is null) return r;
        var context = r.Ids[..(r.ContextLen ?? r.Ids.Length)];
        var spans = r.Press.Resolve(context, lm.Tokenizer, where);
        r.Press.CheckBudget(context.Length, spans);
        return r with { Spans = spans };
    }

    static int[] Run(LanguageModel lm, Request r, GenerationOptions options)
    {
        int k = r.ContextLen ?? r.Ids.Length;
        using var context = r.Press is null ? lm.Model.Prefill(r.Ids[..k]) : r.Press.Compress(lm, r.Ids[..k], r.Spans!);
        return TextGenerator.Generate(lm.Model, context, r.Ids[k..], options with { MaxNewTokens = r.MaxNewTokens }).Ids;
    }
}
