using System.Text.Json;
using static TorchSharp.torch;

namespace KvGrid.Engine.Checkpoints;

/// <summary>
/// The weights of a HF model folder: model.safetensors, or shards listed by model.safetensors.index.json.
/// Every file's header is validated when the checkpoint is opened.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    readonly List<SafetensorsFile> _files = [];
    readonly Dictionary<string, SafetensorsFile> _byTensor = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> TensorNames => _byTensor.Keys;

    public static SafetensorsCheckpoint Open(string modelDir)
    {
        var checkpoint = new SafetensorsCheckpoint();
        try
        {
            checkpoint.OpenFiles(modelDir);
            return checkpoint;
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    void OpenFiles(string modelDir)
    {
        var single = Path.Combine(modelDir, "model.safetensors");
        var indexPath = Path.Combine(modelDir, "model.safetensors.index.json");
        if (File.Exists(single))
        {
            var f = SafetensorsFile.Open(single);
            _files.Add(f);
            foreach (var name in f.Entries.Keys) _byTensor[name] = f;
            return;
        }
        if (!File.Exists(indexPath))
            throw new CheckpointException($"{modelDir}: no model.safetensors or model.safetensors.index.json");
        JsonElement weightMap;
        try
        {
            var root = JsonDocument.Parse(File.ReadAllText(indexPath)).RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("weight_map", out weightMap) || weightMap.ValueKind != JsonValueKind.Object)
                throw new CheckpointException($"{indexPath}: missing 'weight_map' object");
        }
        catch (JsonException e) { throw new CheckpointException($"{indexPath}:{(e.LineNumber ?? 0) + 1}: invalid JSON: {ModelConfig.FirstLine(e.Message)}"); }
        var shards = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (var entry in weightMap.EnumerateObject())
        {
            var shardName = entry.Value.GetString();
            if (string.IsNullOrEmpty(shardName) || shardName.Contains('/') || shardName.Contains('\\'))
                throw new CheckpointException($"{indexPath}: tensor '{entry.Name}': invalid shard file name '{entry.Value.GetRawText()}'");
            if (!shards.TryGetValue(shardName, out var shard))
            {
                var shardPath = Path.Combine(modelDir, shardName);
                if (!File.Exists(shardPath)) throw new CheckpointException($"{indexPath}: tensor '{entry.Name}': shard file '{shardName}' not found");
                shard = SafetensorsFile.Open(shardPath);
                shards[shardName] = shard;
                _files.Add(shard);
            }
            if (!shard.Entries.ContainsKey(entry.Name))
                throw new CheckpointException($"{shard.Path}: tensor '{entry.Name}' not found (the index lists it in this shard)");
            _byTensor[entry.Name] = shard;
        }
        foreach (var shard in _files)
            foreach (var name in shard.Entries.Keys)
                if (!_byTensor.ContainsKey(name))
                    throw new CheckpointException($"{shard.Path}: tensor '{name}' is not listed in {Path.GetFileName(indexPath)}");
    }

    public SafetensorsEntry Entry(string name) => _byTensor.TryGetValue(name, out var f)
        ? f.Entries[name]
        : throw new CheckpointException($"missing tensor '{name}'");

    public string FileOf(string name) => _byTensor[name].Path;

    public bool Contains(string name) => _byTensor.ContainsKey(name);

    public Tensor Load(string name, ScalarType dtype, Device device)
    {
        if (!_byTensor.TryGetValue(name, out var f)) throw new CheckpointException($"missing tensor '{name}'");
        return f.Load(name, dtype, device);
    }

    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
        _files.Clear();
    }
}
