using System.Text.Json;
using System.Text.Json.Nodes;

namespace KvGrid.Engine.Tokenization;

/// <summary>
/// A minimal real HF tokenizer: byte-level BPE over the 256 byte symbols (no merges) plus Llama-3-style special
/// tokens and a Llama-3-style chat template. Random test checkpoints ship it so they load through the same
/// tokenizer.json / tokenizer_config.json path as real models, without any download.
/// </summary>
public static class ByteLevelTokenizer
{
    public const int BosId = 256, EndOfTextId = 257, StartHeaderId = 258, EndHeaderId = 259, EotId = 260;
    public const int VocabSize = 261;
    static readonly string[] Specials = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];

    // Llama 3's template structure: BOS, then per message a header, the trimmed content and <|eot_id|>.
    public const string ChatTemplate =
        "{{- bos_token }}{%- for message in messages %}" +
        "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}" +
        "{%- endfor %}{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}";

    /// <summary>GPT-2's bytes_to_unicode: printable stand-ins for every byte, as the ByteLevel pre-tokenizer uses.</summary>
    public static char[] ByteToUnicode()
    {
        var map = new char[256];
        var direct = new List<int>();
        for (int b = '!'; b <= '~'; b++) direct.Add(b);
        for (int b = 0xA1; b <= 0xAC; b++) direct.Add(b);
        for (int b = 0xAE; b <= 0xFF; b++) direct.Add(b);
        int n = 0;
        for (int b = 0; b < 256; b++) map[b] = direct.Contains(b) ? (char)b : (char)(256 + n++);
        return map;
    }

    public static void Write(string dir)
    {
        var chars = ByteToUnicode();
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++) vocab[chars[b].ToString()] = b;
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var tokenizer = TokenizerJson.Document(Specials, BosId, byteLevel.DeepClone(), byteLevel.DeepClone(), new JsonObject
        {
            ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null, ["end_of_word_suffix"] = null,
            ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false, ["vocab"] = vocab, ["merges"] = new JsonArray(),
        });
        var config = new JsonObject
        {
            ["bos_token"] = "<|begin_of_text|>",
            ["eos_token"] = "<|eot_id|>",
            ["clean_up_tokenization_spaces"] = false,
            ["model_max_length"] = 8192,
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["chat_template"] = ChatTemplate,
        };
        TokenizerJson.Write(dir, tokenizer, config, new JsonSerializerOptions { WriteIndented = true });
    }
}
