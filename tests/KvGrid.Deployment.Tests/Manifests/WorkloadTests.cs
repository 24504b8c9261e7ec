using k8s.Models;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>Every workload of every build: images, resources, hardening.</summary>
public sealed class WorkloadTests
{
    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Builds_into_typed_objects_with_the_kvgrid_workloads(string build)
    {
        var set = ManifestSet.Of(build);
        Assert.NotNull(set.Silos);
        Assert.NotNull(set.SweepJob);
        Assert.Single(set.All<ServiceMonitor>());
        Assert.Single(set.All<V1NetworkPolicy>());
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Every_container_has_a_tagged_image_and_resources(string build)
    {
        foreach (var (owner, template) in ManifestSet.Of(build).PodTemplates)
            foreach (var c in Containers(template))
            {
                var where = $"{build} {owner}/{c.Name}";
                Assert.False(string.IsNullOrWhiteSpace(c.Image), $"{where}: no image");
                Assert.Contains(':', c.Image.Split('/')[^1]);
                Assert.True(c.Resources?.Requests?.ContainsKey("cpu") == true, $"{where}: no cpu request");
                Assert.True(c.Resources?.Requests?.ContainsKey("memory") == true, $"{where}: no memory request");
                Assert.True(c.Resources?.Limits?.ContainsKey("memory") == true, $"{where}: no memory limit");
                Assert.True(c.Resources.Limits["memory"].ToDecimal() >= c.Resources.Requests["memory"].ToDecimal(), $"{where}: memory limit below request");
            }
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Every_pod_runs_as_non_root_on_a_read_only_root_filesystem(string build)
    {
        foreach (var (owner, template) in ManifestSet.Of(build).PodTemplates)
        {
            var pod = template.Spec.SecurityContext;
            foreach (var c in Containers(template))
            {
                var where = $"{build} {owner}/{c.Name}";
                Assert.True((c.SecurityContext?.RunAsNonRoot ?? pod?.RunAsNonRoot) == true, $"{where}: not runAsNonRoot");
                Assert.True((c.SecurityContext?.RunAsUser ?? pod?.RunAsUser) is > 0, $"{where}: no non-zero runAsUser");
                Assert.True(c.SecurityContext?.ReadOnlyRootFilesystem == true, $"{where}: root filesystem writable");
                Assert.True(c.SecurityContext?.AllowPrivilegeEscalation == false, $"{where}: privilege escalation allowed");
                Assert.Contains("ALL", c.SecurityContext?.Capabilities?.Drop ?? []);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void KvGrid_containers_get_a_writable_tmp_and_run_as_the_image_user(string build)
    {
        var dockerUser = DockerfileFacts.RuntimeUser("Dockerfile.cpu");
        foreach (var (owner, template) in ManifestSet.Of(build).PodTemplates)
            foreach (var c in Containers(template).Where(c => c.Image.StartsWith("kvgrid-silo:", StringComparison.Ordinal)))
            {
                var tmp = Assert.Single(c.VolumeMounts, m => m.MountPath == "/tmp");
                Assert.False(tmp.ReadOnlyProperty == true);
                Assert.NotNull(Assert.Single(template.Spec.Volumes, v => v.Name == tmp.Name).EmptyDir);
                Assert.Equal(dockerUser, c.SecurityContext?.RunAsUser ?? template.Spec.SecurityContext?.RunAsUser);
            }
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void Model_weights_come_read_only_from_a_claim_of_the_build(string build)
    {
        var set = ManifestSet.Of(build);
        foreach (var (owner, template) in set.PodTemplates.Where(p => Containers(p.Template).Any(c => c.Image.StartsWith("kvgrid-silo:", StringComparison.Ordinal))))
        {
            var volume = Assert.Single(template.Spec.Volumes, v => v.PersistentVolumeClaim is not null);
            Assert.True(volume.PersistentVolumeClaim.ReadOnlyProperty, $"{owner}: claim not mounted read-only");
            Assert.NotNull(set.Single<V1PersistentVolumeClaim>(volume.PersistentVolumeClaim.ClaimName));
            foreach (var c in Containers(template))
                Assert.All(c.VolumeMounts.Where(m => m.Name == volume.Name), m => Assert.True(m.ReadOnlyProperty, $"{owner}/{c.Name}: {m.MountPath} writable"));
        }
        // The silo's model folder and data cache lie on that volume.
        var silo = set.SiloContainer;
        var assets = silo.VolumeMounts.Single(m => m.Name == set.Silos.Spec.Template.Spec.Volumes.Single(v => v.PersistentVolumeClaim is not null).Name).MountPath;
        var env = SiloTests.Env(silo);
        Assert.StartsWith(assets + "/", env["KvGrid__Shards__0__Path"].Value);
        Assert.StartsWith(assets + "/", env["XDG_CACHE_HOME"].Value);
    }

    [Theory]
    [MemberData(nameof(ManifestSet.Builds), MemberType = typeof(ManifestSet))]
    public void The_silo_service_account_may_watch_and_delete_pods(string build)
    {
        var set = ManifestSet.Of(build);
        var account = set.Silos.Spec.Template.Spec.ServiceAccountName;
        Assert.NotNull(set.Single<V1ServiceAccount>(account));
        var binding = Assert.Single(set.All<V1RoleBinding>(), b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account));
        var role = set.Single<V1Role>(binding.RoleRef.Name);
        var pods = Assert.Single(role.Rules, r => r.Resources.Contains("pods") && r.ApiGroups.Contains(""));
        Assert.Equal(["delete", "get", "list", "watch"], pods.Verbs.Order());
    }

    static IEnumerable<V1Container> Containers(V1PodTemplateSpec template) =>
        template.Spec.Containers.Concat(template.Spec.InitContainers ?? []);
}
