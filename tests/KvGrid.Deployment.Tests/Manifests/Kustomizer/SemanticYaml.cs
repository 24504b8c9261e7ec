using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// A build's objects reduced to what they mean, to compare two builds whatever their formatting: each object
/// keyed by apiVersion, kind, namespace and name, flattened into "path = typed value" lines (map key order
/// dropped, list order kept), scalars typed as go-yaml's YAML 1.2 core schema resolves them ("11111" a string,
/// 11111 an integer).
/// </summary>
public static partial class SemanticYaml
{
    public static Dictionary<string, List<string>> Objects(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var result = new Dictionary<string, List<string>>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is not YamlMappingNode map) continue;
            var meta = map.GetMap("metadata");
            var id = $"{map.GetString("apiVersion")} {map.GetString("kind")} {meta?.GetString("namespace") ?? ""}/{meta?.GetString("name")}";
            var lines = new List<string>();
            Flatten(map, "", lines);
            lines.Sort(StringComparer.Ordinal);
            if (!result.TryAdd(id, lines)) throw new InvalidOperationException($"{id} appears twice");
        }
        return result;
    }

    static void Flatten(YamlNode node, string path, List<string> lines)
    {
        switch (node)
        {
            case YamlMappingNode m when m.Children.Count == 0: lines.Add($"{path} = {{}}"); break;
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children) Flatten(v, $"{path}/{((YamlScalarNode)k).Value}", lines);
                break;
            case YamlSequenceNode s when s.Children.Count == 0: lines.Add($"{path} = []"); break;
            case YamlSequenceNode s:
                for (var i = 0; i < s.Children.Count; i++) Flatten(s.Children[i], $"{path}[{i}]", lines);
                break;
            case YamlScalarNode s: lines.Add($"{path} = {Typed(s)}"); break;
        }
    }

    public static string Typed(YamlScalarNode s)
    {
        var value = s.Value ?? "";
        var tag = s.Tag.IsEmpty ? "" : s.Tag.Value;
        if (tag == "tag:yaml.org,2002:str" || (tag == "" && s.Style is not (ScalarStyle.Plain or ScalarStyle.Any))) return "str:" + Escape(value);
        if (YamlTree.IsNull(s)) return "null";
        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE") return "bool:" + value.ToLowerInvariant();
        if (IntPattern().IsMatch(value)) return "int:" + System.Numerics.BigInteger.Parse(value, CultureInfo.InvariantCulture);
        if (FloatPattern().IsMatch(value)) return "float:" + double.Parse(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
        return "str:" + Escape(value);
    }

    static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\t", "\\t");

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
