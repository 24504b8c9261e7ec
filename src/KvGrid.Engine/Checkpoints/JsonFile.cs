using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace KvGrid.Engine.Checkpoints;

/// <summary>
/// Strict reading of a model folder's JSON files (config.json, tokenizer.json, safetensors headers, ...): the bytes
/// must be UTF-8, the text one JSON document without duplicate keys, and every string readable (no unpaired
/// surrogate escapes). Any failure is a one-line <see cref="CheckpointException"/> that names the file.
/// </summary>
public static class JsonFile
{

    /// <summary>Reads and validates a JSON file; null for the root when the caller only needs validation.</summary>
    public static JsonElement Read(string path)
    {
        var bytes = ReadBytes(path);
        ReadOnlyMemory<byte> text = bytes;
        if (text.Span.StartsWith("\uFEFF"u8)) text = text[3..]; // a UTF-8 byte order mark, as File.ReadAllText skips it
        return Parse(path, text, offset: bytes.Length - text.Length);
    }

    /// <summary>The bytes of a file; I/O failures become one line naming it.</summary>
    public static byte[] ReadBytes(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{path}: cannot read ({ModelConfig.FirstLine(e.Message)})");
        }
    }

    /// <summary>
    /// Parses UTF-8 JSON. <paramref name="offset"/> is where <paramref name="text"/> starts in the file, so byte
    /// positions are reported as file offsets. With <paramref name="what"/> (e.g. "header") the messages say
    /// "{path}: header is not ..." instead of "{path}:{line}: invalid JSON: ...".
    /// </summary>
    public static JsonElement Parse(string path, ReadOnlyMemory<byte> text, long offset = 0, string? what = null)
    {
        if (InvalidUtf8At(text.Span) is { } bad)
            throw new CheckpointException($"{path}: {(what is null ? "" : what + " ")}is not valid UTF-8 (byte 0x{text.Span[bad]:X2} at byte offset {offset + bad} of the file)");
        JsonElement root;
        try { root = JsonDocument.Parse(text).RootElement; }
        catch (JsonException e)
        {
            throw new CheckpointException(what is null
                ? $"{path}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {ModelConfig.FirstLine(e.Message)}"
                : $"{path}: {what} is not valid JSON ({ModelConfig.FirstLine(e.Message)})");
        }
        CheckStrings(root, path, "$", what);
        return root;
    }

    /// <summary>The offset of the first byte that is not part of a well-formed UTF-8 sequence, or null.</summary>
    public static int? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes)) return null;
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, bytes.Length));
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out int read, out _, replaceInvalidSequences: false);
            return status == OperationStatus.Done ? null : read;
        }
        finally { ArrayPool<char>.Shared.Return(chars); }
    }

    /// <summary>
    /// Every key and string must convert to UTF-16 (an escaped unpaired surrogate, "\ud800", does not), every
    /// number must fit a double, and no object may repeat a key (JsonDocument accepts that and lookups would
    /// silently see one of the values).
    /// </summary>
    static void CheckStrings(JsonElement e, string path, string at, string? what)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                int i = 0;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject())
                {
                    string name;
                    try { name = p.Name; }
                    catch (InvalidOperationException) { throw new CheckpointException($"{path}: key #{i} of {at} is not a valid string (unpaired surrogate escape)"); }
                    if (!seen.Add(name))
                        throw new CheckpointException(what == "header" && at == "$"
                            ? $"{path}: header lists tensor '{Clean(name)}' twice"
                            : $"{path}: duplicate key '{Clean(name)}' in {at}");
                    CheckStrings(p.Value, path, $"{at}.{Clean(name)}", what);
                    i++;
                }
                break;
            case JsonValueKind.Array:
                int j = 0;
                foreach (var item in e.EnumerateArray()) CheckStrings(item, path, $"{at}[{j++}]", what);
                break;
            case JsonValueKind.String:
                try { e.GetString(); }
                catch (InvalidOperationException) { throw new CheckpointException($"{path}: {at} is not a valid string (unpaired surrogate escape)"); }
                break;
            case JsonValueKind.Number:
                // As serde_json (safetensors, tokenizers): a number beyond the double range is an error. The tokenizers
                // library even aborts the process on one inside a decoder, so no file may carry one.
                if (!e.TryGetDouble(out var d) || !double.IsFinite(d))
                    throw new CheckpointException($"{path}: {at}: number {Show(e)} is out of range");
                break;
        }
    }

    /// <summary>A name read from a file, safe to put in a one-line message (control characters escaped).</summary>
    public static string Clean(string? s)
    {
        if (s is null) return "null";
        if (!s.Any(char.IsControl)) return s;
        var b = new StringBuilder(s.Length + 8);
        foreach (var c in s) b.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return b.ToString();
    }

    /// <summary>A short rendering of a JSON value for messages (long values are cut).</summary>
    public static string Show(JsonElement e)
    {
        var raw = e.GetRawText().ReplaceLineEndings(" ");
        return raw.Length <= 60 ? raw : raw[..57] + "...";
    }
}
