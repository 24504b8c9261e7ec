using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KvGrid.Engine.Checkpoints;

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

    /// <summary>The largest token id the tokenizer can produce, and where it is defined (for the vocabulary check).</summary>
    public (int Id, string Where) MaxTokenId { get; private init; }

    /// <summary>Loads tokenizer.json from a model or tokenizer folder (or the file itself).</summary>
    public static HfTokenizer Load(string dirOrFile)
    {
        var path = Directory.Exists(dirOrFile) ? System.IO.Path.Combine(dirOrFile, "tokenizer.json") : dirOrFile;
        if (!File.Exists(path)) throw new CheckpointException($"{path}: not found (a tokenizer folder needs tokenizer.json)");
        var root = JsonFile.Read(path);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw new CheckpointException($"{path}: not a HuggingFace tokenizer.json (no 'model' object)");

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var special = new HashSet<int>();
        var max = MaxModelId(model, path);
        CheckBpeMerges(model, path);
        if (root.TryGetProperty("added_tokens", out var tokens) && tokens.ValueKind != JsonValueKind.Null)
        {
            if (tokens.ValueKind != JsonValueKind.Array) throw new CheckpointException($"{path}: 'added_tokens' must be a list, got {JsonFile.Show(tokens)}");
            int i = 0;
            foreach (var t in tokens.EnumerateArray())
            {
                var where = $"{path}: added_tokens[{i++}]";
                if (t.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{where}: must be an object, got {JsonFile.Show(t)}");
                if (!t.TryGetProperty("content", out var c) || c.ValueKind != JsonValueKind.String)
                    throw new CheckpointException($"{where}: 'content' must be a string");
                if (!t.TryGetProperty("id", out var idEl) || idEl.ValueKind != JsonValueKind.Number || !idEl.TryGetInt32(out var id) || id < 0)
                    throw new CheckpointException($"{where}: 'id' must be a non-negative integer, got {(t.TryGetProperty("id", out var x) ? JsonFile.Show(x) : "nothing")}");
                bool isSpecial = false;
                if (t.TryGetProperty("special", out var sp))
                    isSpecial = sp.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw new CheckpointException($"{where}: 'special' must be true or false, got {JsonFile.Show(sp)}"),
                    };
                var content = c.GetString()!;
                added[content] = id;
                if (isSpecial) special.Add(id);
                if (id > max.Id) max = (id, $"{path}: added token '{JsonFile.Clean(content)}'");
            }
        }
        if (root.TryGetProperty("post_processor", out var post)) max = CheckPostProcessor(post, path, "post_processor", max);

        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        bool cleanUp = false;
        var configPath = System.IO.Path.Combine(dir, "tokenizer_config.json");
        if (File.Exists(configPath))
        {
            var cfg = JsonFile.Read(configPath);
            if (cfg.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{configPath}: expected a JSON object, got {JsonFile.Show(cfg)}");
            if (cfg.TryGetProperty("clean_up_tokenization_spaces", out var v) && v.ValueKind != JsonValueKind.Null)
                cleanUp = v.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new CheckpointException($"{configPath}: 'clean_up_tokenization_spaces' must be true or false, got {JsonFile.Show(v)}"),
                };
        }

        var obj = JsonObject.Create(root)!;
        obj["post_processor"] = null;
        var plainPath = CachedCopy(obj.ToJsonString());
        var withSpecial = Create(path, path);
        Tokenizers.DotNet.Tokenizer plain;
        try { plain = Create(plainPath, path); }
        catch { withSpecial.Dispose(); throw; }
        return new HfTokenizer(path, withSpecial, plain, added, special, cleanUp) { MaxTokenId = max };
    }

    /// <summary>Fails when the tokenizer can produce ids the model has no embedding row for.</summary>
    public void CheckFits(int vocabSize)
    {
        if (MaxTokenId.Id >= vocabSize)
            throw new CheckpointException($"{MaxTokenId.Where} has id {MaxTokenId.Id}, outside the model's vocabulary (config.json vocab_size {vocabSize})");
    }

    /// <summary>The largest id of the model's vocabulary (BPE / WordPiece / WordLevel: token -> id; Unigram: a list).</summary>
    static (int Id, string Where) MaxModelId(JsonElement model, string path)
    {
        (int, string) max = (-1, $"{path}: model.vocab");
        if (!model.TryGetProperty("vocab", out var vocab)) return max;
        switch (vocab.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in vocab.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var id) || id < 0)
                        throw new CheckpointException($"{path}: model.vocab: token '{JsonFile.Clean(p.Name)}' must map to a non-negative integer id, got {JsonFile.Show(p.Value)}");
                    if (id > max.Item1) max = (id, $"{path}: model.vocab token '{JsonFile.Clean(p.Name)}'");
                }
                break;
            case JsonValueKind.Array:
                int n = vocab.GetArrayLength();
                if (n > 0) max = (n - 1, $"{path}: model.vocab[{n - 1}]");
                break;
        }
        return max;
    }

    /// <summary>
    /// With a continuing_subword_prefix, the tokenizers library builds each merge (a, b) as a + b[prefix bytes..]
    /// and aborts the process when b is shorter than the prefix (or the cut is inside a character): check the
    /// merges in its order, up to the first one it rejects cleanly itself (a token missing from the vocabulary).
    /// </summary>
    static void CheckBpeMerges(JsonElement model, string path)
    {
        if (!model.TryGetProperty("continuing_subword_prefix", out var pre) || pre.ValueKind != JsonValueKind.String) return;
        int prefixBytes = Encoding.UTF8.GetByteCount(pre.GetString()!);
        if (prefixBytes == 0 || !model.TryGetProperty("merges", out var merges) || merges.ValueKind != JsonValueKind.Array) return;
        if (!model.TryGetProperty("vocab", out var vocabEl) || vocabEl.ValueKind != JsonValueKind.Object) return;
        var vocab = vocabEl.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        int i = 0;
        foreach (var m in merges.EnumerateArray())
        {
            string? a = null, b = null;
            if (m.ValueKind == JsonValueKind.String && m.GetString()!.Split(' ') is [var x, var y]) (a, b) = (x, y);
            else if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2 && m[0].ValueKind == JsonValueKind.String && m[1].ValueKind == JsonValueKind.String)
                (a, b) = (m[0].GetString(), m[1].GetString());
            if (a is null || b is null || !vocab.Contains(a) || !vocab.Contains(b)) return; // the library reports these itself
            var bytes = Encoding.UTF8.GetBytes(b);
            if (bytes.Length < prefixBytes || (bytes.Length > prefixBytes && (bytes[prefixBytes] & 0xC0) == 0x80))
                throw new CheckpointException($"{path}: model.merges[{i}]: the second token '{JsonFile.Clean(b)}' must start with the continuing_subword_prefix '{JsonFile.Clean(pre.GetString())}' (the tokenizers library cuts its first {prefixBytes} bytes off)");
            if (!vocab.Contains(a + Encoding.UTF8.GetString(bytes, prefixBytes, bytes.Length - prefixBytes))) return;
            i++;
        }
    }

    /// <summary>
    /// A TemplateProcessing post-processor is not checked by the tokenizers library when it is read from JSON, and
    /// applying one that names an undefined special token (or sequence B in the single template) aborts the
    /// process: check it here. Sequence processors are checked recursively.
    /// </summary>
    static (int Id, string Where) CheckPostProcessor(JsonElement post, string path, string at, (int Id, string Where) max)
    {
        if (post.ValueKind != JsonValueKind.Object) return max; // null, or a shape the library itself rejects
        var type = post.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type == "Sequence" && post.TryGetProperty("processors", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var p in list.EnumerateArray()) max = CheckPostProcessor(p, path, $"{at}.processors[{i++}]", max);
            return max;
        }
        if (type != "TemplateProcessing") return max;
        var defined = new HashSet<string>(StringComparer.Ordinal);
        if (post.TryGetProperty("special_tokens", out var specials) && specials.ValueKind == JsonValueKind.Object)
            foreach (var sp in specials.EnumerateObject())
            {
                var where = $"{path}: {at}.special_tokens['{JsonFile.Clean(sp.Name)}']";
                if (sp.Value.ValueKind != JsonValueKind.Object
                    || !sp.Value.TryGetProperty("ids", out var ids) || ids.ValueKind != JsonValueKind.Array
                    || !sp.Value.TryGetProperty("tokens", out var toks) || toks.ValueKind != JsonValueKind.Array)
                    throw new CheckpointException($"{where}: must be an object with 'ids' and 'tokens' lists");
                if (ids.GetArrayLength() != toks.GetArrayLength())
                    throw new CheckpointException($"{where}: 'ids' ({ids.GetArrayLength()}) and 'tokens' ({toks.GetArrayLength()}) must have the same length");
                foreach (var idEl in ids.EnumerateArray())
                {
                    if (idEl.ValueKind != JsonValueKind.Number || !idEl.TryGetInt32(out var id) || id < 0)
                        throw new CheckpointException($"{where}: 'ids' must hold non-negative integers, got {JsonFile.Show(ids)}");
                    if (id > max.Id) max = (id, where);
                }
                defined.Add(sp.Name);
            }
        foreach (var name in new[] { "single", "pair" })
        {
            if (!post.TryGetProperty(name, out var template) || template.ValueKind != JsonValueKind.Array) continue;
            if (name == "single" && !template.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("Sequence", out _)))
                throw new CheckpointException($"{path}: {at}.single has no Sequence piece: every encoded text would be dropped");
            int i = 0;
            foreach (var piece in template.EnumerateArray())
            {
                var where = $"{path}: {at}.{name}[{i++}]";
                if (piece.ValueKind != JsonValueKind.Object) continue; // the library rejects it with its own message
                if (piece.TryGetProperty("SpecialToken", out var st) && st.ValueKind == JsonValueKind.Object
                    && st.TryGetProperty("id", out var sid) && sid.ValueKind == JsonValueKind.String && !defined.Contains(sid.GetString()!))
                    throw new CheckpointException($"{where}: special token '{JsonFile.Clean(sid.GetString())}' is not defined in {at}.special_tokens");
                if (name == "single" && piece.TryGetProperty("Sequence", out var seq) && seq.ValueKind == JsonValueKind.Object
                    && seq.TryGetProperty("id", out var qid) && qid.ValueKind == JsonValueKind.String && qid.GetString() != "A")
                    throw new CheckpointException($"{where}: the single-sequence template can only use sequence A, not '{JsonFile.Clean(qid.GetString())}'");
            }
        }
        return max;
    }

    static Tokenizers.DotNet.Tokenizer Create(string file, string displayPath)
    {
        try { return new Tokenizers.DotNet.Tokenizer(file); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException($"{displayPath}: the tokenizers library cannot load it ({FirstLine(e.Message)})");
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
