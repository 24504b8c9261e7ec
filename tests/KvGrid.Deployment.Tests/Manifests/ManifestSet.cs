using k8s;
using k8s.Models;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>The objects of one kustomize build, parsed strictly into typed Kubernetes models.</summary>
public sealed class ManifestSet
{
    static readonly Dictionary<string, Type> CustomTypes = new()
    {
        [$"{ServiceMonitor.Group}/{ServiceMonitor.Version}/{ServiceMonitor.KindName}"] = typeof(ServiceMonitor),
    };

    public ManifestSet(string name, string yaml)
    {
        Name = name;
        // strict: an unknown field (a typo, a field at the wrong level) throws instead of being dropped.
        Objects = KubernetesYaml.LoadAllFromString(yaml, CustomTypes, strict: true);
    }

    /// <summary>k8s/ folder this set was built from, e.g. "overlays/gpu".</summary>
    public string Name { get; }

    public IReadOnlyList<object> Objects { get; }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new InvalidOperationException($"{Name}: no {typeof(T).Name} named {name}");

    /// <summary>A generated object (ConfigMap, Secret) whose name kustomize suffixed with a content hash.</summary>
    public T Generated<T>(string baseName) where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == baseName || o.Metadata.Name.StartsWith(baseName + "-", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"{Name}: no generated {typeof(T).Name} {baseName}");

    public V1StatefulSet Silos => Single<V1StatefulSet>("kvgrid-silo");

    public V1Container SiloContainer => Silos.Spec.Template.Spec.Containers.Single(c => c.Name == "silo");

    public V1Job SweepJob => Single<V1Job>("kvgrid-sweep");

    /// <summary>Every pod template of the build (StatefulSets, Deployments, Jobs), named for messages.</summary>
    public IEnumerable<(string Owner, V1PodTemplateSpec Template)> PodTemplates =>
        All<V1StatefulSet>().Select(s => ($"StatefulSet/{s.Metadata.Name}", s.Spec.Template))
            .Concat(All<V1Deployment>().Select(d => ($"Deployment/{d.Metadata.Name}", d.Spec.Template)))
            .Concat(All<V1Job>().Select(j => ($"Job/{j.Metadata.Name}", j.Spec.Template)));

    static readonly Dictionary<string, ManifestSet> Cache = new();

    /// <summary>The built and parsed set of k8s/{relative}, cached for the test run.</summary>
    public static ManifestSet Of(string relative)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(relative, out var set)) Cache[relative] = set = new ManifestSet(relative, Kustomize.Build(relative));
            return set;
        }
    }

    /// <summary>The folders tests build: the base and each overlay.</summary>
    public static TheoryData<string> Builds => new() { "base", "overlays/gpu", "overlays/cpu-dev" };
}
