using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// kustomize's back-reference fixing, for the references the builds contain: pod specs naming a ConfigMap or
/// Secret (volumes, projected sources, env valueFrom, envFrom, imagePullSecrets) get its final (hash-suffixed)
/// name, and RoleBinding/ClusterRoleBinding subjects naming a ServiceAccount get its final name and namespace
/// (how kustomize puts a namespaced overlay's namespace on them). Referrer and referral must share a namespace,
/// as in kustomize. A renamed object still named anywhere else fails the build instead of leaving a dangling name.
/// </summary>
public static class NameReferences
{
    public static void Fix(IReadOnlyList<Resource> resources)
    {
        var rewritten = new HashSet<YamlScalarNode>(ReferenceEqualityComparer.Instance);
        foreach (var r in resources)
        {
            if (Workloads.PodSpec(r) is { } pod)
                foreach (var (kind, nameNode) in PodSpecReferences(pod))
                    Rewrite(r, kind, nameNode, resources, rewritten);
            if (r.Kind is "RoleBinding" or "ClusterRoleBinding" && r.Node.Get("subjects") is YamlSequenceNode subjects)
                foreach (var subject in subjects.Children.OfType<YamlMappingNode>())
                    FixSubject(r, subject, resources);
        }
        RefuseDanglingNames(resources, rewritten);
    }

    static IEnumerable<(string Kind, YamlScalarNode Name)> PodSpecReferences(YamlMappingNode pod)
    {
        foreach (var v in (pod.Get("volumes") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
        {
            if (v.GetMap("configMap")?.Get("name") is YamlScalarNode cm) yield return ("ConfigMap", cm);
            if (v.GetMap("secret")?.Get("secretName") is YamlScalarNode s) yield return ("Secret", s);
            foreach (var source in (v.GetMap("projected")?.Get("sources") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            {
                if (source.GetMap("configMap")?.Get("name") is YamlScalarNode pcm) yield return ("ConfigMap", pcm);
                if (source.GetMap("secret")?.Get("name") is YamlScalarNode ps) yield return ("Secret", ps);
            }
        }
        foreach (var p in (pod.Get("imagePullSecrets") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            if (p.Get("name") is YamlScalarNode ips) yield return ("Secret", ips);
        foreach (var c in Workloads.Containers(pod))
        {
            foreach (var e in (c.Get("env") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            {
                if (e.GetMap("valueFrom")?.GetMap("configMapKeyRef")?.Get("name") is YamlScalarNode cm) yield return ("ConfigMap", cm);
                if (e.GetMap("valueFrom")?.GetMap("secretKeyRef")?.Get("name") is YamlScalarNode s) yield return ("Secret", s);
            }
            foreach (var e in (c.Get("envFrom") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            {
                if (e.GetMap("configMapRef")?.Get("name") is YamlScalarNode cm) yield return ("ConfigMap", cm);
                if (e.GetMap("secretRef")?.Get("name") is YamlScalarNode s) yield return ("Secret", s);
            }
        }
    }

    static void Rewrite(Resource referrer, string kind, YamlScalarNode name, IReadOnlyList<Resource> resources, HashSet<YamlScalarNode> rewritten)
    {
        var matches = resources.Where(t => t.Kind == kind && t.OriginalName == name.Value && Resource.SameNamespace(t.Namespace, referrer.Namespace)).ToList();
        if (matches.Count > 1) throw new KustomizeException(referrer.File, referrer.Line, $"{referrer} names {kind} {name.Value}, which matches {matches.Count} objects");
        if (matches.Count == 0) return; // an object from outside the build (e.g. the production Secret)
        name.Value = matches[0].Name;
        rewritten.Add(name);
    }

    static void FixSubject(Resource binding, YamlMappingNode subject, IReadOnlyList<Resource> resources)
    {
        var name = subject.GetString("name");
        var ns = subject.GetString("namespace");
        var matches = resources.Where(t => t.Kind == "ServiceAccount" && t.OriginalName == name
            && (ns is null || t.OriginalNamespace == ns)
            && (binding.Kind == "ClusterRoleBinding" || Resource.SameNamespace(t.Namespace, binding.Namespace))).ToList();
        if (matches.Count > 1) throw new KustomizeException(binding.File, binding.Line, $"{binding} subject {name} matches {matches.Count} ServiceAccounts");
        if (matches.Count == 0) return;
        subject.SetString("name", matches[0].Name);
        if (matches[0].Namespace != "") subject.SetString("namespace", matches[0].Namespace);
    }

    static void RefuseDanglingNames(IReadOnlyList<Resource> resources, HashSet<YamlScalarNode> rewritten)
    {
        var renamed = resources.Where(r => r.Name != r.OriginalName).Select(r => r.OriginalName).ToHashSet();
        if (renamed.Count == 0) return;
        foreach (var r in resources)
        {
            var objectName = r.Metadata.Get("name");
            foreach (var (key, value) in Scalars(r.Node))
                if (key is "name" or "secretName" && renamed.Contains(value.Value ?? "") && !rewritten.Contains(value) && !ReferenceEquals(value, objectName))
                    throw new KustomizeException(r.File, r.Line, $"{r} names renamed object {value.Value} in a field the test builder does not rewrite");
        }
    }

    static IEnumerable<(string Key, YamlScalarNode Value)> Scalars(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.SelectMany(kv => kv.Value is YamlScalarNode s ? [(((YamlScalarNode)kv.Key).Value!, s)] : Scalars(kv.Value)),
        YamlSequenceNode s => s.Children.SelectMany(Scalars),
        _ => [],
    };
}
