using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// A kustomization the builder cannot build: broken input, or a kustomize feature it does not implement (it
/// refuses rather than mis-build). The message is one line, "file:line: what".
/// </summary>
public sealed class KustomizeException(string file, long line, string message)
    : Exception($"{Display(file)}:{line}: {message}")
{
    public KustomizeException(string file, YamlNode at, string message) : this(file, at.Start.Line, message) { }

    /// <summary>Paths inside the repository are shown relative to it (k8s/overlays/gpu/kustomization.yaml).</summary>
    static string Display(string file)
    {
        var root = KvGrid.TestSupport.TestPaths.RepoRoot;
        var full = Path.GetFullPath(file);
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? Path.GetRelativePath(root, full) : full;
    }
}
