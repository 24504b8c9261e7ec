using System.Text.Json.Nodes;
using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests.Dashboards;

/// <summary>A Grafana dashboard JSON file of dashboards/, with its panels (rows' nested panels included) flattened.</summary>
public sealed class Dashboard
{
    public Dashboard(string path)
    {
        Path = path;
        FileName = System.IO.Path.GetFileName(path);
        Json = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new FormatException($"{FileName}: not a JSON object");
    }

    public string Path { get; }
    public string FileName { get; }
    public JsonObject Json { get; }

    public static string Folder => System.IO.Path.Combine(TestPaths.RepoRoot, "dashboards");

    public static IReadOnlyList<string> Files => Directory.GetFiles(Folder, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToList();

    public static TheoryData<string> FileNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var f in Files) data.Add(System.IO.Path.GetFileName(f));
            return data;
        }
    }

    public static Dashboard Load(string fileName) => new(System.IO.Path.Combine(Folder, fileName));

    public IEnumerable<JsonObject> Panels => Flatten(Json["panels"]?.AsArray() ?? []);

    public IEnumerable<JsonObject> Variables => (Json["templating"]?["list"]?.AsArray() ?? []).Select(v => v!.AsObject());

    /// <summary>Every (panel title, expr) of the dashboard's targets.</summary>
    public IEnumerable<(string Panel, string Expr)> Expressions =>
        Panels.SelectMany(p => (p["targets"]?.AsArray() ?? []).Select(t => ((string?)p["title"] ?? "?", (string?)t?["expr"] ?? "")));

    static IEnumerable<JsonObject> Flatten(JsonArray panels)
    {
        foreach (var node in panels)
        {
            var panel = node!.AsObject();
            yield return panel;
            foreach (var nested in Flatten(panel["panels"]?.AsArray() ?? [])) yield return nested;
        }
    }
}
