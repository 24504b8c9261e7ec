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

    /// <summary>The file that lists the tensors: model.safetensors, or model.safetensors.index.json for shards.</summary>
    public string Source { get; private set; } = "";

    void OpenFiles(string modelDir)
    {
        var single = Path.Combine(modelDir, "model.safetensors");
        var indexPath = Path.Combine(modelDir, "model.safetensors.index.json");
        if (File.Exists(single))
        {
            Source = single;
            var f = SafetensorsFile.Open(single);
            _files.Add(f);
            foreach (var name in f.Entries.Keys) _byTensor[name] = f;
            return;
        }
        if (!File.Exists(indexPath))
        {
            var other = Directory.Exists(modelDir) ? Directory.GetFiles(modelDir, "*.safetensors").Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault() : null;
            throw new CheckpointException(other is null
                ? $"{modelDir}: no model.safetensors or model.safetensors.index.json"
                : $"{modelDir}: no model.safetensors or model.safetensors.index.json (found {other}; shards need the index)");
        }
        Source = indexPath;
        var root = JsonFile.Read(indexPath);
        if (root.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{indexPath}: expected a JSON object, got {JsonFile.Show(root)}");
        if (!root.TryGetProperty("weight_map", out var weightMap)) throw new CheckpointException($"{indexPath}: missing 'weight_map' object");
        if (weightMap.ValueKind != JsonValueKind.Object) throw new CheckpointException($"{indexPath}: 'weight_map' must be an object (tensor name -> shard file), got {JsonFile.Show(weightMap)}");
        var shards = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (var entry in weightMap.EnumerateObject())
        {
            var where = $"{indexPath}: weight_map: tensor '{JsonFile.Clean(entry.Name)}'";
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointException($"{where}: shard file name must be a string, got {JsonFile.Show(entry.Value)}");
            var shardName = entry.Value.GetString()!;
            if (shardName.Length == 0 || shardName.Contains('/') || shardName.Contains('\\') || shardName is "." or ".." || shardName.Any(char.IsControl))
                throw new CheckpointException($"{where}: invalid shard file name {entry.Value.GetRawText()} (a file name in the model folder)");
            if (!shards.TryGetValue(shardName, out var shard))
            {
                var shardPath = Path.Combine(modelDir, shardName);
                if (!File.Exists(shardPath)) throw new CheckpointException($"{where}: shard file '{shardName}' not found");
                shard = SafetensorsFile.Open(shardPath);
                shards[shardName] = shard;
                _files.Add(shard);
            }
            if (!shard.Entries.ContainsKey(entry.Name))
                throw new CheckpointException($"{shard.Path}: tensor '{JsonFile.Clean(entry.Name)}' not found (the index lists it in this shard)");
            _byTensor[entry.Name] = shard;
        }
        if (_files.Count == 0) throw new CheckpointException($"{indexPath}: 'weight_map' is empty");
        foreach (var shard in _files)
            foreach (var name in shard.Entries.Keys.Order(StringComparer.Ordinal))
            {
                if (!_byTensor.TryGetValue(name, out var owner))
                    throw new CheckpointException($"{shard.Path}: tensor '{JsonFile.Clean(name)}' is not listed in {Path.GetFileName(indexPath)}");
                if (owner != shard)
                    throw new CheckpointException($"{shard.Path}: tensor '{JsonFile.Clean(name)}' is also in {Path.GetFileName(owner.Path)} (where {Path.GetFileName(indexPath)} puts it): a tensor must be in one shard");
            }
    }

    public SafetensorsEntry Entry(string name) => _byTensor.TryGetValue(name, out var f)
        ? f.Entries[name]
        : throw new CheckpointException($"{Source}: missing tensor '{JsonFile.Clean(name)}'");

    public string FileOf(string name) => _byTensor[name].Path;

    public bool Contains(string name) => _byTensor.ContainsKey(name);

    public Tensor Load(string name, ScalarType dtype, Device device)
    {
        if (!_byTensor.TryGetValue(name, out var f)) throw new CheckpointException($"{Source}: missing tensor '{JsonFile.Clean(name)}'");
        return f.Load(name, dtype, device);
    }

    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
        _files.Clear();
    }
}
