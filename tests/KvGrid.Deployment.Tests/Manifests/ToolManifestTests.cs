using k8s.Models;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>k8s/tools/: manifests applied by hand, outside the kustomizations.</summary>
public sealed class ToolManifestTests
{
    [Fact]
    public void The_models_loader_mounts_the_claim_writable_as_the_silo_user()
    {
        var path = Path.Combine(KvGrid.TestSupport.TestPaths.RepoRoot, "k8s", "tools", "models-loader.yaml");
        var pod = Assert.IsType<V1Pod>(Assert.Single(k8s.KubernetesYaml.LoadAllFromString(File.ReadAllText(path), strict: true)));
        var claim = Assert.Single(pod.Spec.Volumes, v => v.PersistentVolumeClaim is not null);
        Assert.Equal(ManifestSet.Of("base").Silos.Spec.Template.Spec.Volumes.Single(v => v.PersistentVolumeClaim is not null).PersistentVolumeClaim.ClaimName,
            claim.PersistentVolumeClaim.ClaimName);
        var mount = Assert.Single(pod.Spec.Containers.Single().VolumeMounts);
        Assert.NotEqual(true, mount.ReadOnlyProperty);
        Assert.Equal(ManifestSet.Of("base").Silos.Spec.Template.Spec.SecurityContext.RunAsUser, pod.Spec.SecurityContext.RunAsUser);
        Assert.True(pod.Spec.Containers.Single().SecurityContext.ReadOnlyRootFilesystem);
    }
}
