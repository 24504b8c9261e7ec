using System.Collections.Concurrent;
using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>
/// Builds a kustomization with the real kustomize (kubectl's embedded one, `kubectl kustomize DIR`), so the tests
/// check what `kubectl apply -k` would send, not what the files look like. One build per folder per test run.
/// </summary>
public static class Kustomize
{
    static readonly ConcurrentDictionary<string, Lazy<string>> Builds = new();

    /// <summary>The multi-document YAML of k8s/{relative} as built.</summary>
    public static string Build(string relative) =>
        Builds.GetOrAdd(relative, r => new Lazy<string>(() => Run(Path.Combine(TestPaths.RepoRoot, "k8s", r)))).Value;

    static string Run(string folder)
    {
        var kubectl = FindOnPath("kubectl");
        ExternalTools.Require(kubectl is not null, "kubectl (its embedded kustomize builds k8s/)");
        var exit = ExternalTools.Run(kubectl!, $"kustomize \"{folder}\"", null, out var output);
        if (exit != 0) throw new InvalidOperationException($"kubectl kustomize {folder} failed: {output.ReplaceLineEndings(" ")}");
        return output;
    }

    static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
