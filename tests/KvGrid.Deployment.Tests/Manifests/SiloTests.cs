using k8s.Models;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>The silo StatefulSet against the silo host's configuration: ports, environment, probes.</summary>
public sealed class SiloTests
{
    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Container_ports_are_the_silo_ports(string build)
    {
        var silo = ManifestSet.Of(build).SiloContainer;
        var ports = silo.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
        Assert.Equal(SiloConfiguration.DefaultPort("SiloPort"), ports["silo"]);
        Assert.Equal(SiloConfiguration.DefaultPort("GatewayPort"), ports["gateway"]);
        Assert.Equal(SiloConfiguration.DefaultPort("MetricsPort"), ports["metrics"]);
        Assert.Equal((11111, 30000, 9464), (ports["silo"], ports["gateway"], ports["metrics"]));
        // The environment tells the silo the same ports.
        var env = Env(silo);
        Assert.Equal(ports["silo"].ToString(), env["KvGrid__SiloPort"].Value);
        Assert.Equal(ports["gateway"].ToString(), env["KvGrid__GatewayPort"].Value);
        Assert.Equal(ports["metrics"].ToString(), env["KvGrid__MetricsPort"].Value);
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Every_KvGrid_variable_binds_to_a_silo_setting(string build)
    {
        var names = ManifestSet.Of(build).SiloContainer.Env.Select(e => e.Name).Where(n => n.StartsWith("KvGrid", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(names, n => !SiloConfiguration.Binds(n));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("KvGrid__Shards__0__Model", names);
        Assert.Contains("KvGrid__Shards__0__Device", names);
    }

    [Fact]
    public void The_binding_check_rejects_typos_and_unindexed_lists()
    {
        Assert.True(SiloConfiguration.Binds("KvGrid__Shards__0__Path"));
        Assert.False(SiloConfiguration.Binds("KvGrid__MetricPort"));
        Assert.False(SiloConfiguration.Binds("KvGrid__Shards__Model"));
        Assert.False(SiloConfiguration.Binds("KvGrid__Shards__0__Modle"));
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Silo_identity_and_addresses_come_from_the_pod(string build)
    {
        var env = Env(ManifestSet.Of(build).SiloContainer);
        Assert.Equal("metadata.name", env["KvGrid__SiloName"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", env["KvGrid__AdvertisedAddress"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("0.0.0.0", env["KvGrid__MetricsAddress"].Value);
        Assert.Equal("redis", env["KvGrid__Redis"].ValueFrom.SecretKeyRef.Key);
        Assert.Equal("results", env["KvGrid__Results"].ValueFrom.SecretKeyRef.Key);
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Probes_ask_health_on_the_metrics_port(string build)
    {
        var silo = ManifestSet.Of(build).SiloContainer;
        var metricsPort = int.Parse(Env(silo)["KvGrid__MetricsPort"].Value);
        foreach (var (kind, probe) in new[] { ("startup", silo.StartupProbe), ("readiness", silo.ReadinessProbe), ("liveness", silo.LivenessProbe) })
        {
            Assert.True(probe?.HttpGet is not null, $"{build}: no {kind} probe");
            Assert.Equal("/health", probe!.HttpGet.Path);
            Assert.Equal(metricsPort, ResolvePort(silo, probe.HttpGet.Port));
        }
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void The_statefulset_selects_its_own_pods_behind_a_headless_service(string build)
    {
        var set = ManifestSet.Of(build);
        var silos = set.Silos;
        Assert.True(Labels.Matches(silos.Spec.Selector, silos.Spec.Template.Metadata.Labels));
        var headless = set.Single<V1Service>(silos.Spec.ServiceName);
        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.Equal("Parallel", silos.Spec.PodManagementPolicy);
        Assert.True(silos.Spec.Replicas >= 2, $"{build}: a cluster needs at least two silos");
    }

    internal static Dictionary<string, V1EnvVar> Env(V1Container c) => c.Env.ToDictionary(e => e.Name);

    internal static int ResolvePort(V1Container c, IntOrString port) =>
        int.TryParse(port.Value, out var n) ? n : c.Ports.Single(p => p.Name == port.Value).ContainerPort;
}
