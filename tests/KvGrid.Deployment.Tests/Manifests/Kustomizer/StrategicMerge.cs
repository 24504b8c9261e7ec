using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// Kubernetes strategic merge patch as kustomize (kyaml merge2) applies it: maps merge recursively, scalars are
/// replaced, lists with a patch merge key merge element by element (the patch's elements first, in patch order,
/// merged with the target's element of the same key, then the target's other elements: kyaml prepends), lists
/// without one are replaced. The list strategies come from a table of the Kubernetes fields KvGrid patches
/// (below); a list outside it, a null (delete) or a $patch/$setElementOrder directive is refused.
/// </summary>
public static class StrategicMerge
{
    /// <summary>Merge keys of pod spec lists (paths relative to the pod spec; initContainers read as containers).</summary>
    static readonly Dictionary<string, string> PodSpecMergeKeys = new()
    {
        ["containers"] = "name",
        ["containers/env"] = "name",
        ["containers/volumeMounts"] = "mountPath",
        ["volumes"] = "name",
        ["imagePullSecrets"] = "name",
    };

    /// <summary>Pod spec lists without a patch strategy: the patch replaces them.</summary>
    static readonly HashSet<string> PodSpecAtomicLists =
        ["tolerations", "containers/command", "containers/args", "containers/securityContext/capabilities/add", "containers/securityContext/capabilities/drop"];

    /// <summary>Other atomic lists, by kind and path from the object root.</summary>
    static readonly HashSet<string> AtomicLists = ["PersistentVolumeClaim:spec/accessModes"];

    public static void Apply(Resource target, YamlMappingNode patch, string patchFile)
    {
        Validate(patch, patchFile);
        Merge(target.Node, patch, "", target.Kind, patchFile);
    }

    static void Validate(YamlNode node, string file)
    {
        if (YamlTree.IsNull(node)) throw new KustomizeException(file, node, "null (field deletion) in a patch is not supported by the test builder");
        if (node is YamlMappingNode map)
            foreach (var (key, value) in map.Children)
            {
                if (((YamlScalarNode)key).Value!.StartsWith('$')) throw new KustomizeException(file, key, $"patch directive {((YamlScalarNode)key).Value} is not supported by the test builder");
                Validate(value, file);
            }
        else if (node is YamlSequenceNode seq)
            foreach (var item in seq.Children) Validate(item, file);
    }

    static void Merge(YamlMappingNode target, YamlMappingNode patch, string path, string kind, string file)
    {
        foreach (var (keyNode, value) in patch.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            var childPath = path == "" ? key : path + "/" + key;
            var existing = target.Get(key);
            switch (existing, value)
            {
                case (YamlMappingNode t, YamlMappingNode p): Merge(t, p, childPath, kind, file); break;
                case (YamlSequenceNode t, YamlSequenceNode p): target.Set(key, MergeList(t, p, childPath, kind, file)); break;
                case (null, _) or (YamlScalarNode, YamlScalarNode): target.Set(key, YamlTree.Clone(value)); break;
                default: throw new KustomizeException(file, value, $"patch changes the type of {kind} field {childPath}");
            }
        }
    }

    static YamlSequenceNode MergeList(YamlSequenceNode target, YamlSequenceNode patch, string path, string kind, string file)
    {
        var strategy = Strategy(path, kind);
        if (strategy is null) throw new KustomizeException(file, patch, $"strategic merge of list {kind} {path} is not supported by the test builder");
        if (strategy == "") return YamlTree.Clone(patch);

        string KeyOf(YamlNode element) =>
            (element as YamlMappingNode)?.GetString(strategy) ?? throw new KustomizeException(file, element, $"an element of {path} without its merge key '{strategy}'");
        var byKey = target.Children.ToDictionary(KeyOf);
        var result = new YamlSequenceNode();
        var patched = new HashSet<string>();
        foreach (var element in patch.Children)
        {
            var key = KeyOf(element);
            if (!patched.Add(key)) throw new KustomizeException(file, element, $"duplicate '{strategy}: {key}' in {path}");
            if (byKey.TryGetValue(key, out var original))
            {
                Merge((YamlMappingNode)original, (YamlMappingNode)element, path, kind, file);
                result.Add(original);
            }
            else result.Add(YamlTree.Clone(element));
        }
        foreach (var element in target.Children)
            if (!patched.Contains(KeyOf(element))) result.Add(element);
        return result;
    }

    /// <summary>The merge key of the list at <paramref name="path"/>, "" for a replaced list, null when unknown.</summary>
    static string? Strategy(string path, string kind)
    {
        if (AtomicLists.Contains($"{kind}:{path}")) return "";
        var podSpec = Workloads.PodSpecPath(kind);
        if (podSpec is null || !path.StartsWith(podSpec + "/", StringComparison.Ordinal)) return null;
        var relative = path[(podSpec.Length + 1)..];
        if (relative.StartsWith("initContainers", StringComparison.Ordinal)) relative = "containers" + relative["initContainers".Length..];
        if (PodSpecMergeKeys.TryGetValue(relative, out var key)) return key;
        return PodSpecAtomicLists.Contains(relative) ? "" : null;
    }
}
