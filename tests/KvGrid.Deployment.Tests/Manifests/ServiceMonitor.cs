using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>
/// The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), reduced to the fields KvGrid sets; the
/// strict YAML loader rejects any other field, so a typo in k8s/ fails the tests.
/// </summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "monitoring.coreos.com";
    public const string Version = "v1";
    public const string KindName = "ServiceMonitor";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = Group + "/" + Version;
    [JsonPropertyName("kind")] public string Kind { get; set; } = KindName;
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("selector")] public V1LabelSelector Selector { get; set; } = new();
    [JsonPropertyName("namespaceSelector")] public NamespaceSelector? NamespaceSelector { get; set; }
    [JsonPropertyName("endpoints")] public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

public sealed class NamespaceSelector
{
    [JsonPropertyName("any")] public bool? Any { get; set; }
    [JsonPropertyName("matchNames")] public List<string>? MatchNames { get; set; }
}

public sealed class ServiceMonitorEndpoint
{
    [JsonPropertyName("port")] public string? Port { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("interval")] public string? Interval { get; set; }
    [JsonPropertyName("relabelings")] public List<RelabelConfig>? Relabelings { get; set; }
}

public sealed class RelabelConfig
{
    [JsonPropertyName("sourceLabels")] public List<string>? SourceLabels { get; set; }
    [JsonPropertyName("targetLabel")] public string? TargetLabel { get; set; }
    [JsonPropertyName("regex")] public string? Regex { get; set; }
    [JsonPropertyName("replacement")] public string? Replacement { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
}
