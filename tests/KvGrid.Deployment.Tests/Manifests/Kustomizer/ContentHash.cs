using System.Security.Cryptography;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// The name suffix kustomize appends to generated ConfigMaps and Secrets (sigs.k8s.io/kustomize/api/hasher):
/// sha256 of Go's json.Marshal of {"data":...,"kind":...,"name":""} (Secret: plus "type"), keys sorted, then
/// the first 10 hex digits with 0,1,3,a,e mapped to g,h,k,m,t (no vowels, no look-alike digits). "name" is
/// always empty: the hasher looks the name up with yaml.Lookup("metadata/name"), which reads a field literally
/// called "metadata/name"; so equal data under two names gives the same suffix (checked against kubectl).
/// </summary>
public static class ContentHash
{
    public static string Of(Resource r)
    {
        var fields = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["kind"] = r.Kind,
            ["name"] = "",
            // A missing data map hashes as the empty string (hasher.getNodeValues).
            ["data"] = r.Node.Get("data") is YamlMappingNode data
                ? new SortedDictionary<string, object>(data.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (object)(((YamlScalarNode)kv.Value).Value ?? "")), StringComparer.Ordinal)
                : "",
        };
        if (r.Kind == "Secret") fields["type"] = r.Node.GetString("type") ?? "";
        else if (r.Kind != "ConfigMap") throw new KustomizeException(r.File, r.Line, $"content hash of a {r.Kind} is not supported by the test builder");
        foreach (var other in new[] { "binaryData", "stringData", "immutable" })
            if (r.Node.Get(other) is not null) throw new KustomizeException(r.File, r.Line, $"'{other}' in a hashed {r.Kind} is not supported by the test builder");
        return Encode(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(GoJson(fields)))));
    }

    public static string Encode(string hex) =>
        new(hex[..10].Select(c => c switch { '0' => 'g', '1' => 'h', '3' => 'k', 'a' => 'm', 'e' => 't', _ => c }).ToArray());

    /// <summary>Go's encoding/json output for nested sorted maps of strings (no spaces, HTML-safe escaping).</summary>
    public static string GoJson(object value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    static void Write(StringBuilder sb, object value)
    {
        switch (value)
        {
            case string s: WriteString(sb, s); break;
            case SortedDictionary<string, object> map:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in map)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(sb, k);
                    sb.Append(':');
                    Write(sb, v);
                }
                sb.Append('}');
                break;
            default: throw new InvalidOperationException("unexpected value " + value.GetType().Name);
        }
    }

    // Go escapes ", \, control characters (\n \r \t short, others \u00XX), and <, >, &, U+2028, U+2029 as \u....
    // Other characters, non-ASCII included, are written as they are.
    static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029': sb.Append("\\u").Append(((int)c).ToString("x4")); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
