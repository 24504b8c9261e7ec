using System.Text.Json;
using KvGrid.Engine.Checkpoints;
using KvGrid.Templating;

namespace KvGrid.Engine.Tokenization;

public sealed record ChatMessage(string Role, string Content);

/// <summary>
/// The model folder's chat template (tokenizer_config.json 'chat_template', or chat_template.jinja), rendered by
/// a real Jinja engine in HF's environment with the variables transformers' apply_chat_template passes:
/// messages, add_generation_prompt, tools/documents (None), and the special tokens map (bos_token, eos_token, ...).
/// </summary>
public sealed class ChatTemplate
{
    readonly JinjaTemplate _template;
    readonly Dictionary<string, object?> _specialTokens;
    public string Source { get; }
    public string Origin { get; }

    ChatTemplate(string source, string origin, Dictionary<string, object?> specialTokens, bool fromModelFolder = true)
    {
        Source = source; Origin = origin; _specialTokens = specialTokens;
        try { _template = JinjaTemplate.Parse(source, origin, JinjaEnvironmentOptions.HuggingFace); }
        catch (TemplateException e)
        {
            var message = $"{origin}: chat_template: {e.Message}";
            throw fromModelFolder ? new CheckpointException(message) : new KvGridException(message);
        }
    }

    /// <summary>Loads the template of a model/tokenizer folder; null when it has none.</summary>
    public static ChatTemplate? Load(string dir, string? templateOverride = null)
    {
        var configPath = Path.Combine(dir, "tokenizer_config.json");
        JsonElement? config = null;
        if (File.Exists(configPath))
        {
            var root = JsonFile.Read(configPath);
            if (root.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{configPath}: expected a JSON object, got {JsonFile.Show(root)}");
            config = root;
        }
        var specials = SpecialTokensMap(config, configPath);
        if (templateOverride is not null) return new ChatTemplate(templateOverride, "chat template", specials, fromModelFolder: false);
        var jinjaPath = Path.Combine(dir, "chat_template.jinja");
        if (File.Exists(jinjaPath)) return new ChatTemplate(ReadTemplateFile(jinjaPath), jinjaPath, specials);
        if (config is not { } c || !c.TryGetProperty("chat_template", out var t) || t.ValueKind == JsonValueKind.Null) return null;
        switch (t.ValueKind)
        {
            case JsonValueKind.String:
                return new ChatTemplate(t.GetString()!, configPath, specials);
            case JsonValueKind.Array:
                // Named templates: HF uses the one called "default".
                int i = 0;
                foreach (var item in t.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object
                        || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                        || !item.TryGetProperty("template", out var template) || template.ValueKind != JsonValueKind.String)
                        throw new CheckpointException($"{configPath}: chat_template[{i}] must be an object with string 'name' and 'template', got {JsonFile.Show(item)}");
                    if (name.GetString() == "default") return new ChatTemplate(template.GetString()!, configPath, specials);
                    i++;
                }
                throw new CheckpointException($"{configPath}: chat_template lists named templates but none is called 'default'");
            default:
                throw new CheckpointException($"{configPath}: 'chat_template' must be a string or a list of named templates, got {JsonFile.Show(t)}");
        }
    }

    /// <summary>chat_template.jinja as strict UTF-8 (as transformers reads it).</summary>
    static string ReadTemplateFile(string path)
    {
        var bytes = JsonFile.ReadBytes(path);
        ReadOnlySpan<byte> text = bytes;
        if (text.StartsWith("\uFEFF"u8)) text = text[3..];
        if (JsonFile.InvalidUtf8At(text) is { } bad)
            throw new CheckpointException($"{path}: is not valid UTF-8 (byte 0x{text[bad]:X2} at byte offset {bytes.Length - text.Length + bad} of the file)");
        return System.Text.Encoding.UTF8.GetString(text);
    }

    /// <summary>The special tokens of tokenizer_config.json: a string, or an AddedToken object with 'content'.</summary>
    static Dictionary<string, object?> SpecialTokensMap(JsonElement? config, string path)
    {
        var map = new Dictionary<string, object?>();
        if (config is not { } c) return map;
        string? Token(JsonElement v, string where) => v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object when v.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString(),
            _ => throw new CheckpointException($"{path}: '{where}' must be a token string or an object with a string 'content', got {JsonFile.Show(v)}"),
        };
        foreach (var key in new[] { "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token" })
            if (c.TryGetProperty(key, out var v) && Token(v, key) is { } text) map[key] = text;
        if (c.TryGetProperty("additional_special_tokens", out var extra) && extra.ValueKind != JsonValueKind.Null)
        {
            if (extra.ValueKind != JsonValueKind.Array)
                throw new CheckpointException($"{path}: 'additional_special_tokens' must be a list, got {JsonFile.Show(extra)}");
            var list = new List<object?>();
            int i = 0;
            foreach (var e in extra.EnumerateArray())
                if (Token(e, $"additional_special_tokens[{i++}]") is { } text) list.Add(text);
            map["additional_special_tokens"] = list;
        }
        return map;
    }

    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? extra = null)
    {
        var context = new Dictionary<string, object?>(_specialTokens)
        {
            ["messages"] = messages.Select(m => (object?)new Dictionary<string, object?> { ["role"] = m.Role, ["content"] = m.Content }).ToList(),
            ["add_generation_prompt"] = addGenerationPrompt,
            ["tools"] = null,
            ["documents"] = null,
        };
        if (extra is not null) foreach (var (k, v) in extra) context[k] = v;
        try { return _template.Render(context); }
        catch (TemplateException e) { throw new KvGridException(e.RaisedByTemplate ? $"{Origin}: chat_template raised: {e.Message}" : $"{Origin}: chat_template: {e.Message}"); }
    }
}
