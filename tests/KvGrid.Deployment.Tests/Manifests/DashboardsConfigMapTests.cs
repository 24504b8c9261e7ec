using k8s.Models;
using KvGrid.Deployment.Tests.Dashboards;
using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>
/// The ConfigMap Grafana's sidecar loads holds every dashboards/*.json, as it is. kustomize cannot read outside
/// k8s/base, so k8s/sync-dashboards.sh copies the files into k8s/base/dashboards/.
/// </summary>
public sealed class DashboardsConfigMapTests
{
    [Fact]
    public void The_copies_in_k8s_base_match_dashboards()
    {
        var copies = Path.Combine(TestPaths.RepoRoot, "k8s", "base", "dashboards");
        var expected = Dashboard.Files.Select(Path.GetFileName).ToList();
        Assert.Equal(expected, Directory.GetFiles(copies, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var f in Dashboard.Files)
            Assert.True(File.ReadAllText(f) == File.ReadAllText(Path.Combine(copies, Path.GetFileName(f))),
                $"k8s/base/dashboards/{Path.GetFileName(f)} differs from dashboards/: run k8s/sync-dashboards.sh");
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Grafana_sidecar_config_map_holds_every_dashboard(string build)
    {
        var map = ManifestSet.Of(build).Single<V1ConfigMap>("kvgrid-dashboards");
        Assert.Equal("1", map.Metadata.Labels["grafana_dashboard"]);
        Assert.Equal(Dashboard.Files.Select(Path.GetFileName), map.Data.Keys.Order(StringComparer.Ordinal));
        foreach (var f in Dashboard.Files)
            Assert.Equal(File.ReadAllText(f), map.Data[Path.GetFileName(f)]);
    }
}
