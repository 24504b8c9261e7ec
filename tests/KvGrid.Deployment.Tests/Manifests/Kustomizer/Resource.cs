using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// One object during a build, with what kustomize tracks beside it: its original name and namespace (what
/// references in other objects use), whether a content hash is still to be appended to its name, and for
/// generated objects the generator's behavior (create or replace).
/// </summary>
public sealed class Resource
{
    public Resource(YamlMappingNode node, string file, YamlNode at)
    {
        Node = node;
        File = file;
        Line = at.Start.Line;
        if (string.IsNullOrEmpty(Kind) || string.IsNullOrEmpty(ApiVersion)) throw new KustomizeException(file, at, "an object without apiVersion or kind");
        if (string.IsNullOrEmpty(Name)) throw new KustomizeException(file, at, $"a {Kind} without metadata.name");
        OriginalName = Name;
        OriginalNamespace = Namespace;
    }

    public YamlMappingNode Node { get; set; }
    public string File { get; }
    public long Line { get; }

    /// <summary>The name and namespace other objects' references use (kustomize's original id).</summary>
    public string OriginalName { get; init; }
    public string OriginalNamespace { get; init; }
    public bool NeedsHashSuffix { get; set; }
    public string Behavior { get; set; } = "create";

    public string ApiVersion => Node.GetString("apiVersion") ?? "";
    public string Kind => Node.GetString("kind") ?? "";
    public YamlMappingNode Metadata => Node.GetOrAddMap("metadata");
    public string Name { get => Metadata.GetString("name") ?? ""; set => Metadata.SetString("name", value); }
    public string Namespace { get => Metadata.GetString("namespace") ?? ""; set => Metadata.SetString("namespace", value); }

    /// <summary>kustomize's ResId: group/version/kind, name, namespace ("" and "default" are the same namespace).</summary>
    public bool Is(string apiVersion, string kind, string name, string ns) =>
        ApiVersion == apiVersion && Kind == kind && Name == name && SameNamespace(Namespace, ns);

    public static bool SameNamespace(string a, string b) => (a is "" or "default" ? "" : a) == (b is "" or "default" ? "" : b);

    public override string ToString() => $"{Kind}/{Name}";
}
