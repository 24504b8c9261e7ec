using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KvGrid.Engine.Tokenization;

/// <summary>
/// A model's tokenizer.json run by HuggingFace's own Rust tokenizers library (through Tokenizers.DotNet), so ids
/// match HF exactly. The binding always applies the post-processor (add_special_tokens=True, e.g. Llama 3's BOS);
/// for add_special_tokens=False (what apply_chat_template uses) a second instance loads a copy of the file whose
/// post-processor is removed, which is what that flag means in HF tokenizers for ids.
/// </summary>
public sealed class HfTokenizer : IDisposable
{
    readonly Tokenizers.DotNet.Tokenizer _withSpecial;
    readonly Tokenizers.DotNet.Tokenizer _plain;
    readonly object _gate = new();
    readonly Dictionary<string, int> _addedTokens;

    public string Path { get; }
    public IReadOnlySet<int> SpecialTokenIds { get; }
    public IReadOnlyDictionary<string, int> AddedTokens => _addedTokens;
    public bool CleanUpTokenizationSpaces { get; }

    HfTokenizer(string path, Tokenizers.DotNet.Tokenizer withSpecial, Tokenizers.DotNet.Tokenizer plain, Dictionary<string, int> added, HashSet<int> special, bool cleanUp)
    {
        Path = path; _withSpecial = withSpecial; _plain = plain; _addedTokens = added; SpecialTokenIds = special; CleanUpTokenizationSpaces = cleanUp;
    }

    /// <summary>Loads tokenizer.json from a model or tokenizer folder (or the file itself).</summary>
    public static HfTokenizer Load(string dirOrFile)
    {
        var path = Directory.Exists(dirOrFile) ? System.IO.Path.Combine(dirOrFile, "tokenizer.json") : dirOrFile;
        if (!File.Exists(path)) throw new KvGridException($"{path}: not found (a tokenizer folder needs tokenizer.json)");
        JsonNode root;
        string text = File.ReadAllText(path);
        try { root = JsonNode.Parse(text) ?? throw new KvGridException($"{path}: empty JSON"); }
        catch (JsonException e) { throw new KvGridException($"{path}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {FirstLine(e.Message)}"); }
        if (root is not JsonObject obj || obj["model"] is not JsonObject)
            throw new KvGridException($"{path}: not a HuggingFace tokenizer.json (no 'model' object)");

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var special = new HashSet<int>();
        if (obj["added_tokens"] is JsonArray tokens)
            foreach (var t in tokens.OfType<JsonObject>())
            {
                var content = t["content"]?.GetValue<string>();
                var id = t["id"]?.GetValue<int>();
                if (content is null || id is null) continue;
                added[content] = id.Value;
                if (t["special"]?.GetValue<bool>() == true) special.Add(id.Value);
            }

        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        bool cleanUp = false;
        var configPath = System.IO.Path.Combine(dir, "tokenizer_config.json");
        if (File.Exists(configPath))
        {
            try
            {
                var cfg = JsonNode.Parse(File.ReadAllText(configPath)) as JsonObject;
                if (cfg?["clean_up_tokenization_spaces"] is JsonValue v && v.TryGetValue<bool>(out var b)) cleanUp = b;
            }
            catch (JsonException e) { throw new KvGridException($"{configPath}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {FirstLine(e.Message)}"); }
        }

        obj["post_processor"] = null;
        var plainPath = CachedCopy(obj.ToJsonString());
        var withSpecial = Create(path, path);
        var plain = Create(plainPath, path);
        return new HfTokenizer(path, withSpecial, plain, added, special, cleanUp);
    }

    static Tokenizers.DotNet.Tokenizer Create(string file, string displayPath)
    {
        try { return new Tokenizers.DotNet.Tokenizer(file); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new KvGridException($"{displayPath}: the tokenizers library cannot load it ({FirstLine(e.Message)})");
        }
    }

    /// <summary>The native binding takes a path: keep the derived file under a content-addressed temp name.</summary>
    static string CachedCopy(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var name = "kvgrid-tokenizer-" + Convert.ToHexString(SHA256.HashData(bytes))[..24].ToLowerInvariant() + ".json";
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), name);
        if (!File.Exists(file))
        {
            var tmp = file + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, file, overwrite: true);
        }
        return file;
    }

    /// <summary>Token ids of a text, as HF's tokenizer(text, add_special_tokens=...)["input_ids"].</summary>
    public int[] Encode(string text, bool addSpecialTokens = true)
    {
        uint[] ids;
        lock (_gate) ids = (addSpecialTokens ? _withSpecial : _plain).Encode(text);
        return Array.ConvertAll(ids, x => (int)x);
    }

    /// <summary>Text of ids with special tokens skipped, as HF's decode(ids, skip_special_tokens=True).</summary>
    public string Decode(IReadOnlyList<int> ids)
    {
        var arr = ids.Select(i => (uint)i).ToArray();
        string text;
        lock (_gate) text = _withSpecial.Decode(arr);
        return CleanUpTokenizationSpaces ? CleanUp(text) : text;
    }

    public int? TokenId(string token) => _addedTokens.TryGetValue(token, out var id) ? id : null;

    /// <summary>transformers' clean_up_tokenization (applied when tokenizer_config sets clean_up_tokenization_spaces).</summary>
    public static string CleanUp(string s) => s
        .Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",")
        .Replace(" ' ", "'").Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s")
        .Replace(" 've", "'ve").Replace(" 're", "'re");

    static string FirstLine(string s) { var i = s.IndexOfAny(['\r', '\n']); return i < 0 ? s : s[..i]; }

    public void Dispose()
    {
        _withSpecial.Dispose();
        _plain.Dispose();
    }
}
