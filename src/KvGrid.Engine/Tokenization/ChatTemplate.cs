using System.Text.Json;
using System.Text.Json.Nodes;
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

    ChatTemplate(string source, string origin, Dictionary<string, object?> specialTokens)
    {
        Source = source; Origin = origin; _specialTokens = specialTokens;
        try { _template = JinjaTemplate.Parse(source, origin, JinjaEnvironmentOptions.HuggingFace); }
        catch (TemplateException e) { throw new KvGridException($"{origin}: chat_template: {e.Message}"); }
    }

    /// <summary>Loads the template of a model/tokenizer folder; null when it has none.</summary>
    public static ChatTemplate? Load(string dir, string? templateOverride = null)
    {
        var configPath = Path.Combine(dir, "tokenizer_config.json");
        JsonObject? config = null;
        if (File.Exists(configPath))
        {
            try { config = JsonNode.Parse(File.ReadAllText(configPath)) as JsonObject; }
            catch (JsonException e) { throw new KvGridException($"{configPath}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {e.Message.Split('\n')[0]}"); }
        }
        var specials = SpecialTokensMap(config);
        if (templateOverride is not null) return new ChatTemplate(templateOverride, "chat template", specials);
        var jinjaPath = Path.Combine(dir, "chat_template.jinja");
        if (File.Exists(jinjaPath)) return new ChatTemplate(File.ReadAllText(jinjaPath), jinjaPath, specials);
        switch (config?["chat_template"])
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                return new ChatTemplate(s, configPath, specials);
            case JsonArray list:
                // Named templates: HF uses the one called "default".
                foreach (var item in list.OfType<JsonObject>())
                    if (item["name"]?.GetValue<string>() == "default" && item["template"]?.GetValue<string>() is { } t)
                        return new ChatTemplate(t, configPath, specials);
                throw new KvGridException($"{configPath}: chat_template lists named templates but none is called 'default'");
            default:
                return null;
        }
    }

    static Dictionary<string, object?> SpecialTokensMap(JsonObject? config)
    {
        var map = new Dictionary<string, object?>();
        if (config is null) return map;
        foreach (var key in new[] { "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token" })
        {
            var text = config[key] switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonObject o => o["content"]?.GetValue<string>(),
                _ => null,
            };
            if (text is not null) map[key] = text;
        }
        if (config["additional_special_tokens"] is JsonArray extra)
            map["additional_special_tokens"] = extra.Select(e => e is JsonObject o ? o["content"]?.GetValue<string>() : e?.GetValue<string>()).Where(s => s is not null).Cast<object?>().ToList();
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
