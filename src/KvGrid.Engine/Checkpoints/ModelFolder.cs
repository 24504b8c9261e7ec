namespace KvGrid.Engine.Checkpoints;

/// <summary>The first check on a model folder: it exists, is a folder, and holds a model at all.</summary>
public static class ModelFolder
{
    public static void Check(string dir)
    {
        if (File.Exists(dir)) throw new CheckpointException($"{dir}: is a file, not a model folder (give the folder that holds config.json and the *.safetensors)");
        if (!Directory.Exists(dir)) throw new CheckpointException($"{dir}: model folder not found");
        bool hasConfig = File.Exists(Path.Combine(dir, "config.json"));
        bool hasWeights;
        try { hasWeights = Directory.EnumerateFiles(dir, "*.safetensors").Any() || File.Exists(Path.Combine(dir, "model.safetensors.index.json")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{dir}: cannot list the model folder ({ModelConfig.FirstLine(e.Message)})");
        }
        if (!hasConfig && !hasWeights)
            throw new CheckpointException($"{dir}: the folder holds no model (no config.json and no *.safetensors)");
    }
}
