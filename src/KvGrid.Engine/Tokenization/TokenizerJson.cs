using System.Text.Json;
using System.Text.Json.Nodes;

namespace KvGrid.Engine.Tokenization;

/// <summary>Pieces of HF tokenizer.json shared by the tokenizers KvGrid writes itself (byte-level test tokenizer, organism).</summary>
public static class TokenizerJson
{
    /// <summary>An added_tokens entry for a special token.</summary>
    public static JsonObject SpecialToken(int id, string content) =>
        new() { ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true };

    /// <summary>A TemplateProcessing post-processor that prepends BOS (what add_special_tokens=True adds, as Llama 3).</summary>
    public static JsonObject BosPostProcessor(string bos, int bosId) => new()
    {
        ["type"] = "TemplateProcessing",
        ["single"] = new JsonArray(Special(bos), Sequence("A")),
        ["pair"] = new JsonArray(Special(bos), Sequence("A"), Special(bos), Sequence("B")),
        ["special_tokens"] = new JsonObject
        {
            [bos] = new JsonObject { ["id"] = bos, ["ids"] = new JsonArray(bosId), ["tokens"] = new JsonArray(bos) },
        },
    };

    /// <summary>Writes tokenizer.json and tokenizer_config.json into a model folder.</summary>
    public static void Write(string dir, JsonObject tokenizer, JsonObject config, JsonSerializerOptions options)
    {
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), tokenizer.ToJsonString(options));
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), config.ToJsonString(options));
    }

    static JsonObject Special(string id) => new() { ["SpecialToken"] = new JsonObject { ["id"] = id, ["type_id"] = 0 } };
    static JsonObject Sequence(string id) => new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = 0 } };
}
