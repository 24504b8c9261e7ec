using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>Small helpers over YamlDotNet's representation model, the builder's object form.</summary>
public static class YamlTree
{
    /// <summary>The non-empty documents of a YAML file, each a mapping (a Kubernetes object or a patch).</summary>
    public static List<YamlMappingNode> LoadMappings(string file)
    {
        var stream = new YamlStream();
        try { using var reader = new StreamReader(file); stream.Load(reader); }
        catch (YamlException e) { throw new KustomizeException(file, e.Start.Line, "invalid YAML: " + e.Message.ReplaceLineEndings(" ")); }
        var result = new List<YamlMappingNode>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is YamlScalarNode { Value: null or "" }) continue; // a document of comments only
            if (doc.RootNode is not YamlMappingNode map) throw new KustomizeException(file, doc.RootNode, "a document is not a mapping");
            RefuseAnchors(file, map);
            result.Add(map);
        }
        return result;
    }

    // kustomize expands anchors; cloning nodes that carry anchors would emit duplicates, and no manifest uses them.
    static void RefuseAnchors(string file, YamlNode node)
    {
        if (!node.Anchor.IsEmpty) throw new KustomizeException(file, node, "YAML anchors/aliases are not supported by the test builder");
        foreach (var child in Children(node)) RefuseAnchors(file, child);
    }

    static IEnumerable<YamlNode> Children(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.SelectMany(kv => new[] { kv.Key, kv.Value }),
        YamlSequenceNode s => s.Children,
        _ => [],
    };

    public static YamlNode? Get(this YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    public static YamlMappingNode? GetMap(this YamlMappingNode map, string key) => map.Get(key) as YamlMappingNode;

    public static string? GetString(this YamlMappingNode map, string key) => (map.Get(key) as YamlScalarNode)?.Value;

    public static void Set(this YamlMappingNode map, string key, YamlNode value) => map.Children[new YamlScalarNode(key)] = value;

    /// <summary>A string scalar that stays a string whatever it looks like ("1", "true"): double-quoted.</summary>
    public static YamlScalarNode Str(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    public static void SetString(this YamlMappingNode map, string key, string value) => map.Set(key, Str(value));

    public static YamlMappingNode GetOrAddMap(this YamlMappingNode map, string key)
    {
        if (map.Get(key) is YamlMappingNode existing) return existing;
        var created = new YamlMappingNode();
        map.Set(key, created);
        return created;
    }

    public static T Clone<T>(T node) where T : YamlNode => (T)CloneNode(node);

    static YamlNode CloneNode(YamlNode node) => node switch
    {
        YamlScalarNode s => new YamlScalarNode(s.Value) { Style = s.Style, Tag = s.Tag },
        YamlSequenceNode s => new YamlSequenceNode(s.Children.Select(CloneNode)) { Style = s.Style, Tag = s.Tag },
        YamlMappingNode m => new YamlMappingNode(m.Children.Select(kv => new KeyValuePair<YamlNode, YamlNode>(CloneNode(kv.Key), CloneNode(kv.Value)))) { Style = m.Style, Tag = m.Tag },
        _ => throw new InvalidOperationException("unknown YAML node " + node.GetType().Name),
    };

    /// <summary>Whether a scalar is YAML null (plain ~, null, empty) as go-yaml reads it.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && s.Tag.IsEmpty && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The objects as one multi-document YAML stream.</summary>
    public static string Serialize(IEnumerable<YamlMappingNode> objects)
    {
        var stream = new YamlStream(objects.Select(o => new YamlDocument(o)));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
