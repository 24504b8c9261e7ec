namespace KvGrid.Sweeps.Spec;

/// <summary>
/// Resolves a model path of a spec and checks that the folder holds a loadable HF checkpoint: config.json,
/// tokenizer.json and weights (model.safetensors, or a sharded model.safetensors.index.json).
/// </summary>
internal static class ModelFolder
{
    public const string Config = "config.json";
    public const string Tokenizer = "tokenizer.json";
    public const string SingleWeights = "model.safetensors";
    public const string ShardIndex = "model.safetensors.index.json";

    /// <summary>Candidate locations: an absolute path as is; a relative one against the spec folder, then the current directory.</summary>
    public static IReadOnlyList<string> Candidates(string path, string baseDirectory) =>
        Path.IsPathRooted(path)
            ? [Path.GetFullPath(path)]
            : [Path.GetFullPath(Path.Combine(baseDirectory, path)), Path.GetFullPath(path)];

    /// <summary>The first existing candidate folder, or the first candidate when none exists (checks disabled).</summary>
    public static string Resolve(string path, string baseDirectory) =>
        Candidates(path, baseDirectory).FirstOrDefault(Directory.Exists) ?? Candidates(path, baseDirectory)[0];

    /// <summary>Returns the problem with the folder, or null when it looks loadable.</summary>
    public static string? Problem(string path, string baseDirectory, out string resolved)
    {
        var candidates = Candidates(path, baseDirectory).Distinct().ToList();
        resolved = candidates.FirstOrDefault(Directory.Exists) ?? candidates[0];
        if (!Directory.Exists(resolved))
        {
            return $"model folder '{path}' not found (looked in {string.Join(" and ", candidates)})";
        }

        var missing = new List<string>();
        if (!File.Exists(Path.Combine(resolved, Config)))
        {
            missing.Add(Config);
        }

        if (!File.Exists(Path.Combine(resolved, Tokenizer)))
        {
            missing.Add(Tokenizer);
        }

        if (!File.Exists(Path.Combine(resolved, SingleWeights)) && !File.Exists(Path.Combine(resolved, ShardIndex)))
        {
            missing.Add($"weights ({SingleWeights} or {ShardIndex})");
        }

        return missing.Count == 0 ? null : $"model folder '{resolved}' has no {string.Join(", no ", missing)}";
    }
}
