using System.Text;
using System.Text.Json.Nodes;
using KvGrid.TestSupport;

namespace KvGrid.Engine.Tests;

/// <summary>Copies of test models and edits of their safetensors headers, for the broken-folder tests.</summary>
static class ModelFolderEdits
{
    /// <summary>A fresh copy of a model folder inside <paramref name="tmp"/>.</summary>
    public static string CopyModel(TempDir tmp, string from)
    {
        var dir = tmp["model-" + Guid.NewGuid().ToString("N")[..8]];
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }

    public static (byte[] Header, byte[] Data) Split(string file)
    {
        var bytes = File.ReadAllBytes(file);
        long n = BitConverter.ToInt64(bytes, 0);
        return (bytes[8..(int)(8 + n)], bytes[(int)(8 + n)..]);
    }

    public static void Join(string file, byte[] header, byte[] data)
    {
        using var fs = File.Create(file);
        fs.Write(BitConverter.GetBytes((long)header.Length));
        fs.Write(header);
        fs.Write(data);
    }

    /// <summary>Rewrites the header as text (so the edit can produce what JsonNode never writes: duplicates, bad escapes).</summary>
    public static void EditHeaderText(string file, Func<string, string> edit)
    {
        var (header, data) = Split(file);
        Join(file, Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(header).TrimEnd())), data);
    }

    /// <summary>Rewrites the safetensors header of a file with an edit applied to its JSON.</summary>
    public static void EditHeader(string file, Action<JsonObject> edit) => EditHeaderText(file, text =>
    {
        var header = JsonNode.Parse(text)!.AsObject();
        edit(header);
        return header.ToJsonString();
    });
}
