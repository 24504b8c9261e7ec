using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>Where the built-in workload kinds keep their pod spec.</summary>
public static class Workloads
{
    public static string? PodSpecPath(string kind) => kind switch
    {
        "Pod" => "spec",
        "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "ReplicationController" or "Job" => "spec/template/spec",
        "CronJob" => "spec/jobTemplate/spec/template/spec",
        _ => null,
    };

    public static YamlMappingNode? PodSpec(Resource r)
    {
        if (PodSpecPath(r.Kind) is not { } path) return null;
        YamlMappingNode? node = r.Node;
        foreach (var part in path.Split('/')) node = node?.GetMap(part);
        return node;
    }

    /// <summary>containers and initContainers of a pod spec.</summary>
    public static IEnumerable<YamlMappingNode> Containers(YamlMappingNode podSpec) =>
        new[] { "containers", "initContainers" }.SelectMany(k => (podSpec.Get(k) as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? []);
}
