using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests.Manifests;

/// <summary>
/// What the silo host accepts, read from its sources: the settings properties of
/// src/KvGrid.Hosting/SiloSettings.cs (for KvGrid__* environment variables) and the ports of
/// silos/KvGrid.Silo/appsettings.json (what a silo listens on unless told otherwise).
/// </summary>
public static class SiloConfiguration
{
    static readonly Lazy<Dictionary<string, Dictionary<string, string>>> Classes = new(() =>
    {
        // The settings classes: SiloSettings and the nested sections it binds (TLS lives with the grid's hosting).
        var classes = new Dictionary<string, Dictionary<string, string>>();
        foreach (var file in new[] { Path.Combine("src", "KvGrid.Hosting", "SiloSettings.cs"), Path.Combine("src", "KvGrid.Grid", "Hosting", "ClusterTls.cs") })
        foreach (Match c in Regex.Matches(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, file)), @"class\s+(\w+)\s*\{(.*?)\n\}", RegexOptions.Singleline))
            classes[c.Groups[1].Value] = Regex.Matches(c.Groups[2].Value, @"public\s+([\w<>\[\]?,. ]+?)\s+(\w+)\s*\{\s*get;\s*set;")
                .ToDictionary(p => p.Groups[2].Value, p => p.Groups[1].Value.Split('.')[^1]);
        return classes;
    });

    static readonly Lazy<JsonObject> AppSettings = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "silos", "KvGrid.Silo", "appsettings.json")))!["KvGrid"]!.AsObject());

    public static int DefaultPort(string setting) => (int)AppSettings.Value[setting]!;

    /// <summary>
    /// Whether KvGrid__A__B... binds to a settings property: each segment a property of the current class, list
    /// properties (List&lt;T&gt;) followed by an index.
    /// </summary>
    public static bool Binds(string environmentVariable)
    {
        var parts = environmentVariable.Split("__");
        if (parts[0] != "KvGrid" || parts.Length < 2) return false;
        var type = "SiloSettings";
        for (var i = 1; i < parts.Length; i++)
        {
            if (!Classes.Value.TryGetValue(type, out var properties) || !properties.TryGetValue(parts[i], out var propertyType)) return false;
            var list = Regex.Match(propertyType, @"^List<(\w+)>$");
            if (list.Success)
            {
                if (i + 1 >= parts.Length || !int.TryParse(parts[i + 1], out _)) return false;
                type = list.Groups[1].Value;
                i++;
            }
            else type = propertyType.TrimEnd('?');
        }
        return true;
    }
}
