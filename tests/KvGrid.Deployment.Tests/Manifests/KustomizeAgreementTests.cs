using KvGrid.Deployment.Tests.Manifests.Kustomizer;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>
/// The test builder against the real kustomize (kubectl's embedded one): the same objects, equal field by field
/// once map key order and formatting are set aside. kubectl is not a test dependency (Debian does not package
/// it), so these skip without it, in strict mode too; every other deployment test runs on the builder alone.
/// </summary>
public sealed class KustomizeAgreementTests
{
    [SkippableTheory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void The_builder_builds_what_kubectl_kustomize_builds(string build)
    {
        var kubectl = Kubectl.Path;
        Skip.If(kubectl is null, "kubectl is not installed (optional: it is the reference the test builder is compared with)");
        var expected = SemanticYaml.Objects(Kubectl.Kustomize(kubectl!, Kustomize.Folder(build)));
        var actual = SemanticYaml.Objects(Kustomize.Build(build));

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, lines) in expected)
        {
            var missing = lines.Except(actual[id]).Take(5).ToList();
            var extra = actual[id].Except(lines).Take(5).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                $"{build}: {id} differs; kubectl only: [{string.Join("; ", missing)}]; builder only: [{string.Join("; ", extra)}]");
        }
    }
}
