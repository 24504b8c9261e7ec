using k8s.Models;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>Services, the ServiceMonitor and the NetworkPolicy agree with the silo pods and with each other.</summary>
public sealed class NetworkTests
{
    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Silo_services_select_the_silos_and_target_their_named_ports(string build)
    {
        var set = ManifestSet.Of(build);
        var silo = set.SiloContainer;
        var podLabels = set.Silos.Spec.Template.Metadata.Labels;
        var expected = new Dictionary<string, int> { ["kvgrid-silo"] = 11111, ["kvgrid-gateway"] = 30000, ["kvgrid-metrics"] = 9464 };
        foreach (var (name, port) in expected)
        {
            var service = set.Single<V1Service>(name);
            Assert.True(Labels.Matches(service.Spec.Selector, podLabels), $"{build}: {name} does not select the silo pods");
            var servicePort = Assert.Single(service.Spec.Ports);
            Assert.Equal(port, servicePort.Port);
            Assert.Equal(port, SiloTests.ResolvePort(silo, servicePort.TargetPort));
        }
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Metrics_are_announced_to_prometheus_both_ways(string build)
    {
        var set = ManifestSet.Of(build);
        var metrics = set.Single<V1Service>("kvgrid-metrics");
        Assert.Equal("true", metrics.Metadata.Annotations["prometheus.io/scrape"]);
        Assert.Equal("9464", metrics.Metadata.Annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", metrics.Metadata.Annotations["prometheus.io/path"]);
        var monitor = Assert.Single(set.All<ServiceMonitor>());
        Assert.Equal($"{ServiceMonitor.Group}/{ServiceMonitor.Version}", monitor.ApiVersion);
        Assert.True(Labels.Matches(monitor.Spec.Selector, metrics.Metadata.Labels));
        Assert.False(set.All<V1Service>().Where(s => s != metrics).Any(s => Labels.Matches(monitor.Spec.Selector, s.Metadata.Labels)),
            $"{build}: the ServiceMonitor selects more than the metrics Service (duplicate scrapes)");
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        Assert.Equal("/metrics", endpoint.Path);
        Assert.Contains(metrics.Spec.Ports, p => p.Name == endpoint.Port);
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void The_network_policy_opens_each_silo_port_to_its_peers_only(string build)
    {
        var set = ManifestSet.Of(build);
        var policy = Assert.Single(set.All<V1NetworkPolicy>());
        var siloLabels = set.Silos.Spec.Template.Metadata.Labels;
        var clientLabels = set.SweepJob.Spec.Template.Metadata.Labels;
        Assert.True(Labels.Matches(policy.Spec.PodSelector, siloLabels));
        Assert.Contains("Ingress", policy.Spec.PolicyTypes);

        var rules = policy.Spec.Ingress.ToList();
        Assert.All(rules, r => Assert.NotEmpty(r.Ports ?? []));
        var byPort = rules.SelectMany(r => r.Ports.Select(p => (Port: int.Parse(p.Port.Value), Rule: r))).ToList();
        Assert.Equal([9464, 11111, 30000], byPort.Select(p => p.Port).Order());

        bool Allows(V1NetworkPolicyIngressRule rule, IDictionary<string, string> labels) =>
            rule.FromProperty.Any(peer => peer.NamespaceSelector is null && peer.PodSelector is not null && Labels.Matches(peer.PodSelector, labels));

        var siloRule = byPort.Single(p => p.Port == 11111).Rule;
        Assert.True(Allows(siloRule, siloLabels));
        Assert.False(Allows(siloRule, clientLabels));
        var gatewayRule = byPort.Single(p => p.Port == 30000).Rule;
        Assert.True(Allows(gatewayRule, siloLabels));
        Assert.True(Allows(gatewayRule, clientLabels));
        Assert.False(Allows(gatewayRule, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "kvgrid", ["app.kubernetes.io/component"] = "postgres" }));
        var metricsPeer = Assert.Single(byPort.Single(p => p.Port == 9464).Rule.FromProperty);
        Assert.Null(metricsPeer.PodSelector);
        Assert.Equal("monitoring", metricsPeer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
    }
}
