namespace KvGrid.Chaos;

/// <summary>The synthetic sweep the cluster tests and the chaos bench run: count examples x presses contexts, 2 ratios x 4 turns each.</summary>
public static class SyntheticSweepSpec
{
    public static string Write(string path, string name, string modelDir, int count, int maxNewTokens, string models = "", string presses = "[knorm, tova]")
    {
        var modelList = string.IsNullOrEmpty(models) ? $"  - {{ name: tiny, path: {modelDir} }}\n" : models;
        File.WriteAllText(path, string.Join("\n",
            $"name: {name}",
            "benchmark: synthetic",
            "models:",
            modelList.TrimEnd('\n'),
            $"synthetic: {{ seed: 11, count: {count} }}",
            "defenses: [synthetic]",
            $"presses: {presses}",
            "remedies: [none]",
            "ratios: [0.0, 0.5]",
            $"decoding: {{ max_new_tokens: {maxNewTokens} }}") + "\n");
        return path;
    }
}
