using System.Collections.Concurrent;
using KvGrid.Deployment.Tests.Manifests.Kustomizer;
using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>
/// Builds k8s/ kustomizations with the test project's own <see cref="KustomizeBuilder"/>, so the tests need no
/// kubectl (not installable from Debian); KustomizeAgreementTests checks it against `kubectl kustomize` where
/// kubectl exists. One build per folder per test run.
/// </summary>
public static class Kustomize
{
    static readonly ConcurrentDictionary<string, Lazy<string>> Builds = new();

    /// <summary>The multi-document YAML of k8s/{relative} as built.</summary>
    public static string Build(string relative) =>
        Builds.GetOrAdd(relative, r => new Lazy<string>(() => KustomizeBuilder.BuildYaml(Folder(r)))).Value;

    public static string Folder(string relative) => Path.Combine(TestPaths.RepoRoot, "k8s", relative);
}
