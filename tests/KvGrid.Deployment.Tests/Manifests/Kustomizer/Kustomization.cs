using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// A kustomization.yaml reduced to the fields the builder implements; any other field, or an unknown option of a
/// known one, is refused with its file and line so a manifest change cannot be silently mis-built.
/// </summary>
public sealed class Kustomization
{
    static readonly HashSet<string> Fields = ["apiVersion", "kind", "namespace", "resources", "images", "patches", "configMapGenerator", "secretGenerator"];

    public required string Folder { get; init; }
    public required string File { get; init; }
    public string? Namespace { get; private init; }
    public List<(string Path, YamlNode At)> Resources { get; } = [];
    public List<ImageOverride> Images { get; } = [];
    public List<(string Path, YamlNode At)> Patches { get; } = [];
    public List<GeneratorSpec> Generators { get; } = [];

    public sealed record ImageOverride(string Name, string? NewName, string? NewTag, YamlNode At);

    public static Kustomization Load(string folder)
    {
        var file = Path.Combine(folder, "kustomization.yaml");
        if (!System.IO.File.Exists(file))
            throw new KustomizeException(folder, 0, "no kustomization.yaml (kustomization.yml and Kustomization are not supported by the test builder)");
        var docs = YamlTree.LoadMappings(file);
        if (docs.Count != 1) throw new KustomizeException(file, 1, "expected exactly one YAML document");
        var root = docs[0];
        foreach (var (key, _) in root.Children)
            if (!Fields.Contains(((YamlScalarNode)key).Value!))
                throw new KustomizeException(file, key, $"kustomization field '{((YamlScalarNode)key).Value}' is not supported by the test builder");
        if (root.GetString("kind") is { } kind && kind != "Kustomization") throw new KustomizeException(file, root.Get("kind")!, $"kind {kind} is not supported");

        var k = new Kustomization { Folder = folder, File = file, Namespace = root.GetString("namespace") };
        foreach (var item in Sequence(file, root, "resources")) k.Resources.Add((Scalar(file, item), item));
        foreach (var item in Sequence(file, root, "patches"))
        {
            var patch = Mapping(file, item, ["path"]);
            k.Patches.Add((Scalar(file, patch.Get("path") ?? throw new KustomizeException(file, item, "a patch without path (inline patches are not supported)")), item));
        }
        foreach (var item in Sequence(file, root, "images"))
        {
            var image = Mapping(file, item, ["name", "newName", "newTag"]);
            k.Images.Add(new ImageOverride(Scalar(file, image.Get("name") ?? throw new KustomizeException(file, item, "an image without name")),
                image.GetString("newName"), image.GetString("newTag"), item));
        }
        foreach (var item in Sequence(file, root, "configMapGenerator")) k.Generators.Add(GeneratorSpec.Parse(file, item, "ConfigMap"));
        foreach (var item in Sequence(file, root, "secretGenerator")) k.Generators.Add(GeneratorSpec.Parse(file, item, "Secret"));
        return k;
    }

    public static IEnumerable<YamlNode> Sequence(string file, YamlMappingNode map, string key) => map.Get(key) switch
    {
        null => [],
        YamlSequenceNode s => s.Children,
        var other => throw new KustomizeException(file, other, $"'{key}' must be a list"),
    };

    public static YamlMappingNode Mapping(string file, YamlNode node, HashSet<string> allowed)
    {
        if (node is not YamlMappingNode map) throw new KustomizeException(file, node, "expected a mapping");
        foreach (var (key, _) in map.Children)
            if (!allowed.Contains(((YamlScalarNode)key).Value!))
                throw new KustomizeException(file, key, $"'{((YamlScalarNode)key).Value}' is not supported by the test builder");
        return map;
    }

    public static string Scalar(string file, YamlNode node) =>
        node is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw new KustomizeException(file, node, "expected a non-empty string");
}
