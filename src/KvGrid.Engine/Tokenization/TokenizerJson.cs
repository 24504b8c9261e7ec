using System.Text.Json;
using System.Text.Json.Nodes;

namespace KvGrid.Engine.Tokenization;

/// <summary>Pieces of HF tokenizer.json shared by the tokenizers KvGrid writes itself (byte-level test tokenizer, organism).</summary>
public static class TokenizerJson
{
    /// <summary>
    /// A whole tokenizer.json: the special tokens as added_tokens (ids from <paramref name="firstSpecialId"/> on), no
    /// normalizer, the given pre-tokenizer, decoder and model, and a post-processor that prepends the first special
    /// (BOS).
    /// </summary>
    public static JsonObject Document(IReadOnlyList<string> specials, int firstSpecialId, JsonNode preTokenizer, JsonNode decoder, JsonObject model)
    {
        var added = new JsonArray();
        for (int i = 0; i < specials.Count; i++)
            added.Add(SpecialToken(firstSpecialId + i, specials[i]));
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = preTokenizer,
            ["post_processor"] = BosPostProcessor(specials[0], firstSpecialId),
            ["decoder"] = decoder,
            ["model"] = model,
        };
    }

    /// <summary>An added_tokens entry for a special token.</summary>
    static JsonObject SpecialToken(int id, string content) =>
        new() { ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true };

    /// <summary>A TemplateProcessing post-processor that prepends BOS (what add_special_tokens=True adds, as Llama 3).</summary>
    static JsonObject BosPostProcessor(string bos, int bosId) => new()
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
