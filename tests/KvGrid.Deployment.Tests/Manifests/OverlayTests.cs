using System.Text;
using k8s.Models;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>What each overlay adds to the base.</summary>
public sealed class OverlayTests
{
    [Fact]
    public void The_gpu_overlay_gives_each_silo_one_gpu_on_gpu_nodes()
    {
        var set = ManifestSet.Of("overlays/gpu");
        var silo = set.SiloContainer;
        Assert.Equal(1m, silo.Resources.Limits["nvidia.com/gpu"].ToDecimal());
        Assert.Equal(1m, silo.Resources.Requests["nvidia.com/gpu"].ToDecimal());
        var pod = set.Silos.Spec.Template.Spec;
        Assert.NotEmpty(pod.NodeSelector);
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule");
        Assert.Equal("cuda:0", SiloTests.Env(silo)["KvGrid__Shards__0__Device"].Value);
        Assert.Equal("kvgrid-silo:cuda", silo.Image);
        Assert.Equal("kvgrid-silo:cuda", set.SweepJob.Spec.Template.Spec.Containers.Single().Image);
        // The strategic merge kept the base's variables beside the patched one.
        Assert.Contains("KvGrid__SiloName", SiloTests.Env(silo).Keys);
    }

    [Theory]
    [InlineData("base")]
    [InlineData("overlays/cpu-dev")]
    public void Cpu_builds_request_no_gpu(string build)
    {
        var set = ManifestSet.Of(build);
        foreach (var (_, template) in set.PodTemplates)
            foreach (var c in template.Spec.Containers)
                Assert.False((c.Resources.Limits?.ContainsKey("nvidia.com/gpu") ?? false) || (c.Resources.Requests?.ContainsKey("nvidia.com/gpu") ?? false));
        Assert.Equal("cpu", SiloTests.Env(set.SiloContainer)["KvGrid__Shards__0__Device"].Value);
        Assert.Equal("kvgrid-silo:cpu", set.SiloContainer.Image);
    }

    [Theory]
    [InlineData("base")]
    [InlineData("overlays/gpu")]
    public void Production_builds_reference_an_external_secret(string build)
    {
        var set = ManifestSet.Of(build);
        Assert.Empty(set.All<V1Secret>());
        var refs = SecretRefs(set).ToList();
        Assert.NotEmpty(refs);
        Assert.All(refs, r => Assert.Equal("kvgrid-store", r.Name));
        Assert.Equal(["redis", "results"], refs.Select(r => r.Key).Distinct().Order());
    }

    [Fact]
    public void The_dev_overlay_runs_postgres_and_redis_in_cluster_and_wires_the_silos_to_them()
    {
        var set = ManifestSet.Of("overlays/cpu-dev");
        foreach (var name in new[] { "kvgrid-postgres", "kvgrid-redis" })
        {
            var workload = set.Single<V1StatefulSet>(name);
            var service = set.Single<V1Service>(name);
            Assert.True(Labels.Matches(service.Spec.Selector, workload.Spec.Template.Metadata.Labels));
        }
        var secret = set.Generated<V1Secret>("kvgrid-store");
        string Value(string key) => Encoding.UTF8.GetString(secret.Data[key]);
        // Every secretKeyRef of the build names this Secret (with kustomize's hash suffix) and one of its keys.
        Assert.All(SecretRefs(set), r => { Assert.Equal(secret.Metadata.Name, r.Name); Assert.Contains(r.Key, secret.Data.Keys); });

        var redisPort = set.Single<V1Service>("kvgrid-redis").Spec.Ports.Single().Port;
        // Redis requires the password the silos' connection string carries.
        Assert.Equal($"kvgrid-redis:{redisPort},password={Value("redis-password")}", Value("redis"));
        var redis = set.Single<V1StatefulSet>("kvgrid-redis").Spec.Template.Spec.Containers.Single();
        Assert.Equal(["--requirepass", "$(REDIS_PASSWORD)"], redis.Args.Skip(redis.Args.IndexOf("--requirepass")).Take(2));
        Assert.Equal("redis-password", redis.Env.Single(e => e.Name == "REDIS_PASSWORD").ValueFrom.SecretKeyRef.Key);
        var results = Value("results").Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("kvgrid-postgres", results["Host"]);
        Assert.Equal(set.Single<V1Service>("kvgrid-postgres").Spec.Ports.Single().Port.ToString(), results["Port"]);
        Assert.Equal(Value("postgres-password"), results["Password"]);
        var postgresEnv = set.Single<V1StatefulSet>("kvgrid-postgres").Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name);
        Assert.Equal(results["Username"], postgresEnv["POSTGRES_USER"].Value);
        Assert.Equal(results["Database"], postgresEnv["POSTGRES_DB"].Value);
    }

    [Theory]
    [InlineData("overlays/gpu", "kvgrid")]
    [InlineData("overlays/cpu-dev", "kvgrid-dev")]
    public void Overlays_put_every_object_in_their_namespace(string build, string ns)
    {
        var set = ManifestSet.Of(build);
        var namespaced = set.Objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>().ToList();
        Assert.All(namespaced, o => Assert.Equal(ns, o.Metadata.NamespaceProperty));
    }

    static IEnumerable<V1SecretKeySelector> SecretRefs(ManifestSet set) =>
        set.PodTemplates.SelectMany(p => p.Template.Spec.Containers).SelectMany(c => c.Env ?? [])
            .Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>();
}
