using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// A kustomize-compatible builder for exactly the features k8s/ uses, so the deployment tests need no kubectl:
/// resources (files, and folders holding their own kustomization), configMapGenerator and secretGenerator
/// (files, literals, behavior create|replace, options disableNameSuffixHash/labels/annotations, the content-hash
/// name suffix), patches (strategic merge, from files), namespace, images (newName, newTag), then, once at the
/// top as kustomize does, hash suffixes and the references to renamed objects. Anything else is refused with a
/// <see cref="KustomizeException"/>. KustomizeAgreementTests compares every build with `kubectl kustomize`.
/// Objects come out in load order (kustomize sorts by kind); the tests never depend on the order.
/// </summary>
public static class KustomizeBuilder
{
    public static IReadOnlyList<YamlMappingNode> Build(string folder)
    {
        var resources = Accumulate(Path.GetFullPath(folder), []);
        foreach (var r in resources.Where(r => r.NeedsHashSuffix)) r.Name = r.Name + "-" + ContentHash.Of(r);
        NameReferences.Fix(resources);
        return resources.Select(r => r.Node).ToList();
    }

    /// <summary>The build as one multi-document YAML stream (what `kubectl kustomize` prints).</summary>
    public static string BuildYaml(string folder) => YamlTree.Serialize(Build(folder));

    static List<Resource> Accumulate(string folder, HashSet<string> visiting)
    {
        if (!visiting.Add(folder)) throw new KustomizeException(folder, 0, "kustomization cycle");
        var k = Kustomization.Load(folder);
        var resources = new List<Resource>();

        foreach (var (path, at) in k.Resources)
        {
            if (path.Contains("://") || path.StartsWith("github.com/", StringComparison.Ordinal))
                throw new KustomizeException(k.File, at, $"remote resource {path} is not supported by the test builder");
            var full = Path.GetFullPath(Path.Combine(folder, path));
            if (Directory.Exists(full))
                foreach (var r in Accumulate(full, [.. visiting])) Append(resources, r, k.File, at);
            else if (File.Exists(full))
            {
                RequireInside(k, full, path, at);
                foreach (var node in YamlTree.LoadMappings(full)) Append(resources, new Resource(node, full, node), k.File, at);
            }
            else throw new KustomizeException(k.File, at, $"resource {path} not found");
        }

        foreach (var spec in k.Generators) AddGenerated(resources, spec, spec.Generate(folder));

        foreach (var (path, at) in k.Patches)
        {
            var full = Path.GetFullPath(Path.Combine(folder, path));
            RequireInside(k, full, path, at);
            if (!File.Exists(full)) throw new KustomizeException(k.File, at, $"patch {path} not found");
            var docs = YamlTree.LoadMappings(full);
            if (docs.Count != 1) throw new KustomizeException(full, 1, "a patch file must hold exactly one strategic merge patch");
            ApplyPatch(resources, docs[0], full);
        }

        if (k.Namespace is { } ns)
            foreach (var r in resources) SetNamespace(r, ns);

        foreach (var r in resources) ImageTags.Apply(r, k.Images);
        return resources;
    }

    // kustomize's default load restrictor: files a kustomization reads lie in or below its folder.
    static void RequireInside(Kustomization k, string full, string path, YamlNode at)
    {
        if (!full.StartsWith(k.Folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new KustomizeException(k.File, at, $"file {path} is outside the kustomization folder");
    }

    static void Append(List<Resource> resources, Resource r, string file, YamlNode at)
    {
        if (resources.Any(o => o.Is(r.ApiVersion, r.Kind, r.Name, r.Namespace)))
            throw new KustomizeException(file, at, $"{r} is defined twice");
        resources.Add(r);
    }

    /// <summary>kustomize's appendReplaceOrMerge for behavior create and replace.</summary>
    static void AddGenerated(List<Resource> resources, GeneratorSpec spec, Resource generated)
    {
        var matches = resources.Where(o => o.Kind == generated.Kind && o.ApiVersion == generated.ApiVersion
            && (o.Name == generated.Name || o.OriginalName == generated.Name) && Resource.SameNamespace(o.Namespace, generated.Namespace)).ToList();
        if (spec.Behavior == "create")
        {
            if (matches.Count > 0) throw new KustomizeException(spec.File, spec.At, $"{generated} already exists (use behavior: replace)");
            resources.Add(generated);
            return;
        }
        if (matches.Count != 1) throw new KustomizeException(spec.File, spec.At, $"{generated} does not exist; cannot replace it");
        var old = matches[0];
        // Replace keeps the old object's identity (name, namespace, whether it gets a hash) and merges its labels
        // and annotations under the new ones (Resource.CopyMergeMetaDataFieldsFrom); the data is the new data.
        var node = generated.Node;
        var metadata = node.GetOrAddMap("metadata");
        foreach (var field in new[] { "labels", "annotations" })
        {
            var merged = new YamlMappingNode();
            foreach (var source in new[] { old.Metadata.GetMap(field), metadata.GetMap(field) })
                foreach (var (key, value) in source?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
                    merged.Set(((YamlScalarNode)key).Value!, YamlTree.Clone(value));
            if (merged.Children.Count > 0) metadata.Set(field, merged);
        }
        metadata.SetString("name", old.Name);
        if (old.Namespace != "") metadata.SetString("namespace", old.Namespace);
        resources[resources.IndexOf(old)] = new Resource(node, spec.File, spec.At)
        {
            OriginalName = old.OriginalName, OriginalNamespace = old.OriginalNamespace, NeedsHashSuffix = old.NeedsHashSuffix,
        };
    }

    /// <summary>A strategic merge patch targets the one object with its apiVersion, kind, name and namespace.</summary>
    static void ApplyPatch(List<Resource> resources, YamlMappingNode patch, string file)
    {
        var apiVersion = patch.GetString("apiVersion") ?? "";
        var kind = patch.GetString("kind") ?? "";
        var name = patch.GetMap("metadata")?.GetString("name") ?? "";
        var ns = patch.GetMap("metadata")?.GetString("namespace") ?? "";
        if (kind == "" || name == "") throw new KustomizeException(file, patch, "a patch without kind or metadata.name (JSON 6902 and targeted patches are not supported by the test builder)");
        var targets = resources.Where(r => r.ApiVersion == apiVersion && r.Kind == kind && (r.Name == name || r.OriginalName == name) && Resource.SameNamespace(r.Namespace, ns)).ToList();
        if (targets.Count != 1) throw new KustomizeException(file, patch, $"the patch matches {targets.Count} objects {apiVersion} {kind}/{name}");
        var target = targets[0];
        var (keepName, keepNamespace) = (target.Name, target.Namespace);
        StrategicMerge.Apply(target, patch, file);
        // As kustomize's ApplySmPatch: a patch never renames or moves its target.
        target.Name = keepName;
        if (keepNamespace == "") target.Metadata.Children.Remove(new YamlScalarNode("namespace"));
        else target.Namespace = keepNamespace;
    }

    static readonly HashSet<string> ClusterScoped =
        ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass", "CSIDriver"];

    /// <summary>
    /// The namespace transformer: metadata.namespace of every namespaced object, and the namespace of
    /// RoleBinding/ClusterRoleBinding subjects named "default" (kustomize's defaultOnly mode; subjects naming a
    /// ServiceAccount of the build get theirs from <see cref="NameReferences"/>).
    /// </summary>
    static void SetNamespace(Resource r, string ns)
    {
        if (r.Kind is "MutatingWebhookConfiguration" or "ValidatingWebhookConfiguration" or "APIService")
            throw new KustomizeException(r.File, r.Line, $"namespace transform of a {r.Kind} is not supported by the test builder");
        if (!ClusterScoped.Contains(r.Kind)) r.Namespace = ns;
        if (r.Kind is "RoleBinding" or "ClusterRoleBinding" && r.Node.Get("subjects") is YamlSequenceNode subjects)
            foreach (var s in subjects.Children.OfType<YamlMappingNode>().Where(s => s.GetString("name") == "default"))
                s.SetString("namespace", ns);
    }
}
