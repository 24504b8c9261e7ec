using System.CommandLine;
using System.Text.Json;
using KvGrid.Engine;
using KvGrid.Engine.Tokenization;

namespace KvGrid.Cli.Commands;

/// <summary>`kvgrid tokenize`: ids of a text (HF tokenizer(text)) or of a rendered chat (apply_chat_template).</summary>
public static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizerDir = new Option<string>("--tokenizer") { Description = "folder with tokenizer.json and tokenizer_config.json", Required = true };
        var text = new Option<string?>("--text") { Description = "text to encode (special tokens added, as tokenizer(text))" };
        var chat = new Option<string?>("--chat") { Description = "JSON file: [{\"role\":..,\"content\":..}, ...] rendered with the chat template" };
        var genPrompt = new Option<bool>("--add-generation-prompt") { Description = "append the assistant header (with --chat)" };
        var batch = new Option<string?>("--batch") { Description = "JSONL: {\"text\":..} or {\"chat\":[..],\"add_generation_prompt\":bool} per line" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var cmd = new Command("tokenize", "Encode text or a chat with a model's tokenizer") { tokenizerDir, text, chat, genPrompt, batch, json };
        cmd.SetRun(p =>
        {
            var dir = p.GetValue(tokenizerDir)!;
            using var tokenizer = HfTokenizer.Load(dir);
            ChatTemplate? template = null;
            ChatTemplate Template() => template ??= ChatTemplate.Load(Directory.Exists(dir) ? dir : Path.GetDirectoryName(dir)!)
                ?? throw new KvGridException($"{dir}: no chat_template in tokenizer_config.json");
            bool asJson = p.GetValue(json);
            if (p.GetValue(batch) is { } batchFile)
            {
                var stdout = Console.Out;
                foreach (var (line, item) in InputParsing.ReadJsonl(batchFile))
                {
                    var where = $"{batchFile}:{line}";
                    if (item.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                        stdout.WriteLine(JsonSerializer.Serialize(new { ids = tokenizer.Encode(t.GetString()!) }));
                    else if (item.TryGetProperty("chat", out var c))
                    {
                        bool gp = item.TryGetProperty("add_generation_prompt", out var g) && g.ValueKind == JsonValueKind.True;
                        var rendered = Template().Render(InputParsing.ParseChat(c, where), gp);
                        stdout.WriteLine(JsonSerializer.Serialize(new { ids = tokenizer.Encode(rendered, addSpecialTokens: false), text = rendered }));
                    }
                    else throw new KvGridException($"{where}: expected a 'text' string or a 'chat' array");
                }
                return 0;
            }
            if (p.GetValue(chat) is { } chatFile)
            {
                var rendered = Template().Render(InputParsing.ReadChatFile(chatFile), p.GetValue(genPrompt));
                var ids = tokenizer.Encode(rendered, addSpecialTokens: false);
                Console.WriteLine(asJson ? JsonSerializer.Serialize(new { ids, text = rendered }) : $"{rendered}\n---\n{string.Join(",", ids)}");
                return 0;
            }
            if (p.GetValue(text) is { } s)
            {
                var ids = tokenizer.Encode(s);
                Console.WriteLine(asJson ? JsonSerializer.Serialize(new { ids }) : string.Join(",", ids));
                return 0;
            }
            throw new KvGridException("tokenize: give --text, --chat or --batch");
        });
        return cmd;
    }
}
