using System.Text;
using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// One configMapGenerator / secretGenerator entry: name, behavior (create or replace), files ("key=path" or
/// "path", keyed by the file name), literals ("key=value", surrounding quotes removed as kustomize does) and
/// options (disableNameSuffixHash, labels, annotations). Secret values are base64 in kustomize's layout: lines
/// of 70 characters, each followed by a newline once there is more than one line (kyaml's encodeBase64); the
/// content hash is computed over that text.
/// </summary>
public sealed class GeneratorSpec
{
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string File { get; init; }
    public required YamlNode At { get; init; }
    public string Behavior { get; private init; } = "create";
    public List<(string Source, YamlNode At)> Files { get; } = [];
    public List<(string Source, YamlNode At)> Literals { get; } = [];
    public bool DisableNameSuffixHash { get; private set; }
    public List<(string Key, string Value)> Labels { get; } = [];
    public List<(string Key, string Value)> Annotations { get; } = [];

    public static GeneratorSpec Parse(string file, YamlNode node, string kind)
    {
        var map = Kustomization.Mapping(file, node, ["name", "behavior", "files", "literals", "options"]);
        var behavior = map.GetString("behavior") ?? "create";
        if (behavior is not ("create" or "replace"))
            throw new KustomizeException(file, map.Get("behavior")!, $"generator behavior '{behavior}' is not supported by the test builder");
        var spec = new GeneratorSpec
        {
            Kind = kind, File = file, At = node, Behavior = behavior,
            Name = Kustomization.Scalar(file, map.Get("name") ?? throw new KustomizeException(file, node, "a generator without name")),
        };
        foreach (var item in Kustomization.Sequence(file, map, "files")) spec.Files.Add((Kustomization.Scalar(file, item), item));
        foreach (var item in Kustomization.Sequence(file, map, "literals")) spec.Literals.Add((Kustomization.Scalar(file, item), item));
        if (map.Get("options") is { } optionsNode)
        {
            var options = Kustomization.Mapping(file, optionsNode, ["disableNameSuffixHash", "labels", "annotations"]);
            spec.DisableNameSuffixHash = options.GetString("disableNameSuffixHash") is "true" or "True" or "TRUE";
            spec.Labels.AddRange(StringMap(file, options.Get("labels")));
            spec.Annotations.AddRange(StringMap(file, options.Get("annotations")));
        }
        return spec;
    }

    static IEnumerable<(string, string)> StringMap(string file, YamlNode? node) => node switch
    {
        null => [],
        YamlMappingNode m => m.Children.Select(kv => (Kustomization.Scalar(file, kv.Key), ((YamlScalarNode)kv.Value).Value ?? "")),
        _ => throw new KustomizeException(file, node, "expected a map of strings"),
    };

    /// <summary>The generated ConfigMap or Secret, its files read relative to <paramref name="folder"/>.</summary>
    public Resource Generate(string folder)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string value, YamlNode at)
        {
            if (!entries.TryAdd(key, value)) throw new KustomizeException(File, at, $"duplicate key '{key}' in generator {Name}");
        }
        foreach (var (source, at) in Files)
        {
            var eq = source.IndexOf('=');
            var (key, relative) = eq < 0 ? (Path.GetFileName(source), source) : (source[..eq], source[(eq + 1)..]);
            var full = Path.GetFullPath(Path.Combine(folder, relative));
            // kustomize's default load restrictor: generator files must lie inside the kustomization's folder.
            if (!full.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new KustomizeException(File, at, $"file '{relative}' is outside the kustomization folder");
            if (!System.IO.File.Exists(full)) throw new KustomizeException(File, at, $"file '{relative}' not found");
            string text;
            try { text = new UTF8Encoding(false, true).GetString(System.IO.File.ReadAllBytes(full)); }
            catch (DecoderFallbackException) { throw new KustomizeException(File, at, $"file '{relative}' is not UTF-8 (binaryData is not supported by the test builder)"); }
            Add(key, text, at);
        }
        foreach (var (source, at) in Literals)
        {
            var eq = source.IndexOf('=');
            if (eq <= 0) throw new KustomizeException(File, at, $"invalid literal '{source}', expected key=value");
            Add(source[..eq], RemoveQuotes(source[(eq + 1)..]), at);
        }

        var metadata = new YamlMappingNode();
        metadata.SetString("name", Name);
        if (Labels.Count > 0) metadata.Set("labels", StringMapNode(Labels));
        if (Annotations.Count > 0) metadata.Set("annotations", StringMapNode(Annotations));
        var node = new YamlMappingNode();
        node.SetString("apiVersion", "v1");
        node.SetString("kind", Kind);
        node.Set("metadata", metadata);
        if (entries.Count > 0)
            node.Set("data", StringMapNode(entries.Select(e => (e.Key, Kind == "Secret" ? KustomizeBase64(e.Value) : e.Value))));
        if (Kind == "Secret") node.SetString("type", "Opaque");
        return new Resource(node, File, At) { NeedsHashSuffix = !DisableNameSuffixHash, Behavior = Behavior };
    }

    static YamlMappingNode StringMapNode(IEnumerable<(string Key, string Value)> pairs)
    {
        var map = new YamlMappingNode();
        foreach (var (k, v) in pairs) map.SetString(k, v);
        return map;
    }

    static string RemoveQuotes(string s) =>
        s.Length >= 2 && s[0] == s[^1] && s[0] is '"' or '\'' ? s[1..^1] : s;

    /// <summary>kyaml's encodeBase64: 70-character lines, each newline-terminated when there is more than one.</summary>
    public static string KustomizeBase64(string value)
    {
        const int lineLength = 70;
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        var lines = encoded.Length / lineLength + 1;
        if (lines == 1) return encoded;
        var sb = new StringBuilder();
        for (var i = 0; i < encoded.Length; i += lineLength)
            sb.Append(encoded, i, Math.Min(lineLength, encoded.Length - i)).Append('\n');
        return sb.ToString();
    }
}
