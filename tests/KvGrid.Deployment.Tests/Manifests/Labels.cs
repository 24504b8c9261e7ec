using k8s.Models;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>Label selector semantics (matchLabels and matchExpressions), as the API server applies them.</summary>
public static class Labels
{
    public static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && selector.All(s => labels is not null && labels.TryGetValue(s.Key, out var v) && v == s.Value);

    /// <summary>An empty selector (all pods for the API server) counts as no match: KvGrid never means one.</summary>
    public static bool Matches(V1LabelSelector selector, IDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        var matchLabels = selector.MatchLabels ?? new Dictionary<string, string>();
        if (matchLabels.Any(s => !labels.TryGetValue(s.Key, out var v) || v != s.Value)) return false;
        foreach (var e in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(e.Key, out var value);
            var ok = e.OperatorProperty switch
            {
                "In" => has && e.Values.Contains(value!),
                "NotIn" => !has || !e.Values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => throw new InvalidOperationException($"unknown selector operator {e.OperatorProperty}"),
            };
            if (!ok) return false;
        }
        return matchLabels.Count > 0 || (selector.MatchExpressions?.Count ?? 0) > 0;
    }
}
