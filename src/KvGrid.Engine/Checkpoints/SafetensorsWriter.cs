using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace KvGrid.Engine.Checkpoints;

/// <summary>Writes tensors in the safetensors format (HF layout: single file, or shards plus an index).</summary>
public static class SafetensorsWriter
{
    public static string DTypeCode(ScalarType t) => t switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        _ => throw new ArgumentException($"cannot write dtype {t} to safetensors"),
    };

    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, t) in tensors)
        {
            long size = t.NumberOfElements * t.ElementSize;
            header[name] = new { dtype = DTypeCode(t.dtype), shape = t.shape, data_offsets = new[] { offset, offset + size } };
            offset += size;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8; // the format pads the header with spaces to 8-byte alignment
        var headerBytes = new byte[padded];
        Array.Fill(headerBytes, (byte)' ');
        json.CopyTo(headerBytes, 0);
        var tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            fs.Write(BitConverter.GetBytes((long)padded));
            fs.Write(headerBytes);
            foreach (var (_, t) in tensors)
            {
                using var cpu = t.detach().to(CPU).contiguous();
                var flat = cpu.view(-1);
                const long chunk = 1L << 28;
                for (long start = 0; start < flat.NumberOfElements; start += chunk)
                {
                    using var part = flat.narrow(0, start, Math.Min(chunk, flat.NumberOfElements - start));
                    fs.Write(part.bytes);
                }
            }
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>
    /// Writes model.safetensors, or (with shards > 1) model-0000k-of-0000n.safetensors plus
    /// model.safetensors.index.json, splitting tensors into shards of roughly equal byte size.
    /// </summary>
    public static void WriteCheckpoint(string dir, IReadOnlyList<(string Name, Tensor Tensor)> tensors, int shards = 1)
    {
        Directory.CreateDirectory(dir);
        var meta = new Dictionary<string, string> { ["format"] = "pt" };
        if (shards <= 1)
        {
            Write(Path.Combine(dir, "model.safetensors"), tensors, meta);
            return;
        }
        long total = tensors.Sum(t => t.Tensor.NumberOfElements * t.Tensor.ElementSize);
        long perShard = (total + shards - 1) / shards;
        var groups = new List<List<(string, Tensor)>> { new() };
        long current = 0;
        foreach (var t in tensors)
        {
            long size = t.Tensor.NumberOfElements * t.Tensor.ElementSize;
            if (current > 0 && current + size > perShard && groups.Count < shards) { groups.Add(new()); current = 0; }
            groups[^1].Add(t);
            current += size;
        }
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < groups.Count; i++)
        {
            var file = $"model-{i + 1:D5}-of-{groups.Count:D5}.safetensors";
            Write(Path.Combine(dir, file), groups[i], meta);
            foreach (var (name, _) in groups[i]) weightMap[name] = file;
        }
        var index = new { metadata = new { total_size = total }, weight_map = weightMap };
        File.WriteAllText(Path.Combine(dir, "model.safetensors.index.json"), JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }));
    }
}
