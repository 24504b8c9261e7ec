using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>The Job that submits the ConfigMap-held sweep and waits for it.</summary>
public sealed class SweepJobTests
{
    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Submits_the_mounted_spec_through_redis_and_watches(string build)
    {
        var set = ManifestSet.Of(build);
        var pod = set.SweepJob.Spec.Template.Spec;
        Assert.Equal("Never", pod.RestartPolicy);
        var c = Assert.Single(pod.Containers);
        Assert.Equal(["/app/kvgrid"], c.Command);
        Assert.Equal(["sweep", "submit", "/spec/sweep.yaml"], c.Args.Take(3));
        Assert.Contains("--watch", c.Args);
        var redis = c.Args[c.Args.IndexOf("--redis") + 1];
        // $(VAR) is expanded by the kubelet from the container's environment.
        Assert.Equal("$(KVGRID_REDIS)", redis);
        Assert.Equal("redis", c.Env.Single(e => e.Name == "KVGRID_REDIS").ValueFrom.SecretKeyRef.Key);

        var mount = Assert.Single(c.VolumeMounts, m => m.MountPath == "/spec");
        var volume = pod.Volumes.Single(v => v.Name == mount.Name);
        var config = set.Single<V1ConfigMap>(volume.ConfigMap.Name);
        var spec = Load(config.Data["sweep.yaml"]);
        Assert.False(string.IsNullOrWhiteSpace(((YamlScalarNode)spec["name"]).Value));
        var models = (YamlSequenceNode)spec["models"];
        Assert.NotEmpty(models.Children);
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void The_sweep_serves_the_model_the_silos_load(string build)
    {
        var set = ManifestSet.Of(build);
        var spec = Load(set.Single<V1ConfigMap>(set.SweepJob.Spec.Template.Spec.Volumes.Single(v => v.ConfigMap is not null).ConfigMap.Name).Data["sweep.yaml"]);
        var siloModel = SiloTests.Env(set.SiloContainer)["KvGrid__Shards__0__Model"].Value;
        var names = ((YamlSequenceNode)spec["models"]).Children.Select(m => ((YamlScalarNode)((YamlMappingNode)m)["name"]).Value);
        Assert.Contains(siloModel, names);
    }

    static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }
}
