using KvGrid.Engine.Tokenization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KvGrid.Organism;

/// <summary>
/// The organism's tokenizer: a HF WordLevel tokenizer.json whose pieces are words with their leading space
/// (" secret"), single digits, single punctuation marks and single whitespace characters, cut by a Split
/// pre-tokenizer; the Metaspace decoder concatenates pieces unchanged, so decode(encode(text)) == text for every
/// text of the synthetic language. Specials and the chat template are Llama 3's, so the organism goes through the
/// same tokenizer.json / tokenizer_config.json path as real models.
/// </summary>
public static partial class OrganismTokenizer
{
    public const string Bos = "<|begin_of_text|>", EndOfText = "<|end_of_text|>", StartHeader = "<|start_header_id|>",
        EndHeader = "<|end_header_id|>", Eot = "<|eot_id|>", Unknown = "<unk>";

    /// <summary>Special tokens, ids 0..4 in this order; then the unknown token (id 5); then the word pieces.</summary>
    public static readonly string[] Specials = [Bos, EndOfText, StartHeader, EndHeader, Eot];
    public const int BosId = 0, EndOfTextId = 1, EotId = 4, UnknownId = 5;

    /// <summary>Chat roles: the template writes them between header tokens, so they are pieces of their own.</summary>
    public static readonly string[] Roles = ["system", "user", "assistant"];

    /// <summary>The split pattern, shared by the vocabulary builder (.NET regex) and tokenizer.json (Rust regex): plain ASCII classes only, so both engines cut identically.</summary>
    public const string PiecePattern = @" ?[A-Za-z]+| ?[0-9]| ?[^A-Za-z0-9\s]|\s";

    // Llama 3's template: BOS, then per message a header, the trimmed content and <|eot_id|>.
    public const string ChatTemplate =
        "{{- bos_token }}{%- for message in messages %}" +
        "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}" +
        "{%- endfor %}{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}";

    [GeneratedRegex(PiecePattern)]
    private static partial Regex Pieces();

    /// <summary>The pieces of a text, as the tokenizer.json pre-tokenizer cuts it.</summary>
    public static IEnumerable<string> Split(string text) => Pieces().Matches(text).Select(m => m.Value);

    /// <summary>The word vocabulary of a corpus: specials, unknown, then every piece (ordinal order, so ids are stable).</summary>
    public static IReadOnlyList<string> BuildVocabulary(IEnumerable<string> texts)
    {
        var pieces = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var piece in Split(text)) pieces.Add(piece);
        foreach (var role in Roles) pieces.Add(role);
        return [.. Specials, Unknown, .. pieces.Where(p => !Specials.Contains(p) && p != Unknown)];
    }

    /// <summary>Writes tokenizer.json and tokenizer_config.json for a vocabulary from <see cref="BuildVocabulary"/>.</summary>
    public static void Write(string dir, IReadOnlyList<string> vocabulary)
    {
        Directory.CreateDirectory(dir);
        var vocab = new JsonObject();
        for (int i = 0; i < vocabulary.Count; i++) vocab[vocabulary[i]] = i;
        var tokenizer = TokenizerJson.Document(Specials, BosId,
            new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = PiecePattern }, ["behavior"] = "Isolated", ["invert"] = false },
            // Metaspace with prepend_scheme "never" only maps '▁' to ' ' (pieces never contain it) and concatenates.
            new JsonObject { ["type"] = "Metaspace", ["replacement"] = "\u2581", ["prepend_scheme"] = "never", ["split"] = false },
            new JsonObject { ["type"] = "WordLevel", ["vocab"] = vocab, ["unk_token"] = Unknown });
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var config = new JsonObject
        {
            ["bos_token"] = Bos,
            ["eos_token"] = Eot,
            ["unk_token"] = Unknown,
            ["clean_up_tokenization_spaces"] = false,
            ["model_max_length"] = 512,
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["chat_template"] = ChatTemplate,
        };
        TokenizerJson.Write(dir, tokenizer, config, options);
    }
}
