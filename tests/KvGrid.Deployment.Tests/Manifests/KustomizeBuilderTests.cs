using System.Text;
using k8s.Models;
using KvGrid.Deployment.Tests.Manifests.Kustomizer;
using KvGrid.TestSupport;
using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>
/// The test builder's kustomize semantics, without kubectl. Expected hash suffixes are what kubectl v1.32.4
/// (kustomize v5.5.0) printed for the same input; orderings and refusals follow kustomize's sources (named
/// in each test).
/// </summary>
public sealed class KustomizeBuilderTests
{
    [Fact]
    public void Generated_names_carry_kustomizes_content_hash()
    {
        // `kubectl kustomize` of this folder names them probe-52cmtd7b67 and probe-secret-gffb868t7k: Go's JSON
        // escaping of <, >, & and a 96-character base64 value broken after 70 characters are part of the hash.
        using var dir = new TempDir();
        File.WriteAllText(dir["f.txt"], "a <b> & \"c\" \\ é —\ttab\n");
        File.WriteAllText(dir["kustomization.yaml"], """
            configMapGenerator:
            - name: probe
              literals:
              - k=v<>&
              files:
              - f.txt
            secretGenerator:
            - name: probe-secret
              literals:
              - long=0123456789012345678901234567890123456789012345678901234567890123456789
              - short='quoted'
            """);
        var objects = KustomizeBuilder.Build(dir.Path);
        var map = Single(objects, "ConfigMap");
        Assert.Equal("probe-52cmtd7b67", Name(map));
        Assert.Equal("a <b> & \"c\" \\ é —\ttab\n", Data(map, "f.txt"));
        var secret = Single(objects, "Secret");
        Assert.Equal("probe-secret-gffb868t7k", Name(secret));
        Assert.Equal("MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMT\nIzNDU2Nzg5MDEyMzQ1Njc4OQ==\n", Data(secret, "long"));
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("quoted")), Data(secret, "short"));
        Assert.Equal("Opaque", secret.GetString("type"));
    }

    [Fact]
    public void Secret_values_break_base64_into_lines_of_70_only_when_longer()
    {
        // kyaml encodeBase64: a value of one line stays as is; longer ones are cut every 70 characters, each
        // piece followed by a newline. 51 bytes encode to 68 characters, 52 to 72.
        var block = string.Concat(Enumerable.Repeat("MDAw", 17)); // base64 of "000" x 17
        Assert.Equal(block, GeneratorSpec.KustomizeBase64(new string('0', 51)));
        Assert.Equal(block + "MA\n==\n", GeneratorSpec.KustomizeBase64(new string('0', 52)));
    }

    [Theory]
    [InlineData("base", "kvgrid-sweep-spec-fck7md6b28")]
    [InlineData("overlays/gpu", "kvgrid-sweep-spec-fck7md6b28")]
    [InlineData("overlays/cpu-dev", "kvgrid-sweep-spec-mkch9tdghk")]
    public void The_sweep_job_mounts_the_hash_suffixed_spec(string build, string expected)
    {
        // Names as `kubectl kustomize k8s/<build>` prints them; the overlay's replacement changes the data, so the hash.
        var set = ManifestSet.Of(build);
        Assert.Equal(expected, set.SweepJob.Spec.Template.Spec.Volumes.Single(v => v.Name == "spec").ConfigMap.Name);
        Assert.Equal(expected, set.Generated<V1ConfigMap>("kvgrid-sweep-spec").Metadata.Name);
    }

    [Fact]
    public void The_dev_secret_is_hash_suffixed_and_every_reference_follows()
    {
        var set = ManifestSet.Of("overlays/cpu-dev");
        // The builder hashes as kubectl does (it printed -89cf2m4g58 for the content before the Redis password was added;
        // this value is the builder's for the current content, to re-check with `kubectl kustomize` where kubectl exists).
        Assert.Equal("kvgrid-store-hf98gmg55d", set.Generated<V1Secret>("kvgrid-store").Metadata.Name);
        var refs = set.PodTemplates.SelectMany(p => p.Template.Spec.Containers).SelectMany(c => c.Env ?? [])
            .Select(e => e.ValueFrom?.SecretKeyRef?.Name).OfType<string>().ToList();
        Assert.True(refs.Count >= 4); // silo (2), Job, postgres
        Assert.All(refs, r => Assert.Equal("kvgrid-store-hf98gmg55d", r));
    }

    [Fact]
    public void Replace_keeps_the_base_generators_name_and_takes_the_overlays_data()
    {
        var map = ManifestSet.Of("overlays/cpu-dev").Generated<V1ConfigMap>("kvgrid-sweep-spec");
        Assert.Equal(["sweep.yaml"], map.Data.Keys);
        Assert.Equal(File.ReadAllText(Path.Combine(Kustomize.Folder("overlays/cpu-dev"), "sweep", "demo.yaml")), map.Data["sweep.yaml"]);
    }

    [Fact]
    public void A_patched_list_puts_the_patch_elements_first()
    {
        // kyaml merges associative lists with ListIncreaseDirection prepend: the patch's elements in patch order
        // (merged with the base's of the same name), then the base's others in their order.
        var env = ManifestSet.Of("overlays/gpu").SiloContainer.Env.Select(e => e.Name).ToList();
        var baseEnv = ManifestSet.Of("base").SiloContainer.Env.Select(e => e.Name).ToList();
        Assert.Equal(["KvGrid__Shards__0__Device", "NVIDIA_DRIVER_CAPABILITIES"], env.Take(2));
        Assert.Equal(baseEnv.Where(n => n != "KvGrid__Shards__0__Device"), env.Skip(2));
    }

    [Theory]
    [InlineData("base", null)]
    [InlineData("overlays/gpu", "kvgrid")]
    [InlineData("overlays/cpu-dev", "kvgrid-dev")]
    public void Role_binding_subjects_follow_their_service_account_into_the_namespace(string build, string? ns)
    {
        var binding = ManifestSet.Of(build).Single<V1RoleBinding>("kvgrid-silo");
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", "kvgrid-silo", ns), (subject.Kind, subject.Name, subject.NamespaceProperty));
    }

    [Theory]
    [InlineData("commonLabels:\n  a: b\n", "kustomization.yaml:2: kustomization field 'commonLabels' is not supported by the test builder")]
    [InlineData("patches:\n- path: p.yaml\n  target: {kind: Pod}\n", "kustomization.yaml:4: 'target' is not supported by the test builder")]
    [InlineData("configMapGenerator:\n- name: x\n  behavior: merge\n  literals: [a=b]\n", "kustomization.yaml:4: generator behavior 'merge' is not supported by the test builder")]
    [InlineData("configMapGenerator:\n- name: x\n  files: [../outside.txt]\n", "kustomization.yaml:4: file '../outside.txt' is outside the kustomization folder")]
    public void Unsupported_kustomizations_are_refused_with_file_and_line(string kustomization, string expectedEnd)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["kustomization.yaml"], "resources: [pod.yaml]\n" + kustomization);
        File.WriteAllText(dir["pod.yaml"], Pod);
        var e = Assert.Throws<KustomizeException>(() => KustomizeBuilder.Build(dir.Path));
        Assert.EndsWith(expectedEnd, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("spec:\n  $patch: replace\n", "p.yaml:7: patch directive $patch is not supported by the test builder")]
    [InlineData("spec:\n  hostname: null\n", "p.yaml:7: null (field deletion) in a patch is not supported by the test builder")]
    [InlineData("spec:\n  containers:\n  - name: c\n    ports: [{containerPort: 80}]\n", "p.yaml:9: strategic merge of list Pod spec/containers/ports is not supported by the test builder")]
    [InlineData("spec:\n  dnsConfig: {nameservers: [1.1.1.1]}\n", "p.yaml:7: strategic merge of list Pod spec/dnsConfig/nameservers is not supported by the test builder")]
    public void Unsupported_patches_are_refused(string patchBody, string expectedEnd)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["kustomization.yaml"], "resources: [pod.yaml]\npatches:\n- path: p.yaml\n");
        File.WriteAllText(dir["pod.yaml"], Pod + "    ports: [{containerPort: 81}]\n  dnsConfig: {nameservers: [8.8.8.8]}\n");
        File.WriteAllText(dir["p.yaml"], "# a patch\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n" + patchBody);
        var e = Assert.Throws<KustomizeException>(() => KustomizeBuilder.Build(dir.Path));
        Assert.EndsWith(expectedEnd, e.Message);
    }

    [Fact]
    public void A_patch_without_a_target_fails()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["kustomization.yaml"], "resources: [pod.yaml]\npatches:\n- path: p.yaml\n");
        File.WriteAllText(dir["pod.yaml"], Pod);
        File.WriteAllText(dir["p.yaml"], "apiVersion: v1\nkind: Pod\nmetadata:\n  name: other\n");
        Assert.EndsWith("p.yaml:1: the patch matches 0 objects v1 Pod/other", Assert.Throws<KustomizeException>(() => KustomizeBuilder.Build(dir.Path)).Message);
    }

    [Fact]
    public void A_reference_to_a_renamed_object_in_a_field_the_builder_does_not_rewrite_fails()
    {
        // kustomize would rewrite (or not) according to its name-reference table; the builder knows pod specs only.
        using var dir = new TempDir();
        File.WriteAllText(dir["kustomization.yaml"], "resources: [ingress.yaml]\nconfigMapGenerator:\n- name: cfg\n  literals: [a=b]\n");
        File.WriteAllText(dir["ingress.yaml"], "apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\nspec:\n  config:\n    name: cfg\n");
        Assert.Contains("Thing/t names renamed object cfg", Assert.Throws<KustomizeException>(() => KustomizeBuilder.Build(dir.Path)).Message);
    }

    [Fact]
    public void The_comparison_tells_a_quoted_number_from_a_number()
    {
        // What makes KustomizeAgreementTests able to fail on a lost quote (env values must stay strings).
        var quoted = SemanticYaml.Objects("apiVersion: v1\nkind: X\nmetadata: {name: a}\nv: \"1\"\n").Single().Value;
        var plain = SemanticYaml.Objects("apiVersion: v1\nkind: X\nmetadata: {name: a}\nv: 1\n").Single().Value;
        var literal = SemanticYaml.Objects("apiVersion: v1\nkind: X\nmetadata: {name: a}\nv: |-\n  1\n").Single().Value;
        Assert.NotEqual(quoted, plain);
        Assert.Equal(quoted, literal);
    }

    const string Pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n";

    static YamlMappingNode Single(IEnumerable<YamlMappingNode> objects, string kind) => objects.Single(o => o.GetString("kind") == kind);
    static string Name(YamlMappingNode o) => o.GetMap("metadata")!.GetString("name")!;
    static string Data(YamlMappingNode o, string key) => o.GetMap("data")!.GetString(key)!;
}
