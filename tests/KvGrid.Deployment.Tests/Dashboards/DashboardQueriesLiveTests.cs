using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KvGrid.Deployment.Tests.Dashboards;

/// <summary>
/// Evaluates every dashboard query against a live Prometheus that scrapes silos while (or shortly after) a sweep
/// runs: KVGRID_PROMETHEUS_URL=http://127.0.0.1:9090 dotnet test tests/KvGrid.Deployment.Tests. Variables take
/// "all" (.*) or their default, $__rate_interval 1m. Skipped without the variable: it needs a running cluster.
/// </summary>
public sealed class DashboardQueriesLiveTests
{
    static readonly string? PrometheusUrl = Environment.GetEnvironmentVariable("KVGRID_PROMETHEUS_URL");

    [SkippableFact]
    public async Task Every_query_returns_data_from_a_live_prometheus()
    {
        Skip.If(string.IsNullOrEmpty(PrometheusUrl), "set KVGRID_PROMETHEUS_URL to a Prometheus scraping silos that ran a sweep");
        using var http = new HttpClient { BaseAddress = new Uri(PrometheusUrl!), Timeout = TimeSpan.FromSeconds(30) };
        var empty = await QueriesWithoutDataAsync(http);
        Assert.True(empty.Count == 0, "queries without data:\n" + string.Join("\n", empty));
    }

    /// <summary>
    /// Evaluates every dashboard expression (variables: "all" (.*) or their default, $__rate_interval 1m) and
    /// returns those that returned no series. Also used by the cluster tests against a Prometheus they start.
    /// </summary>
    public static async Task<List<string>> QueriesWithoutDataAsync(HttpClient prometheus)
    {
        var empty = new List<string>();
        foreach (var file in Dashboard.Files)
        {
            var d = new Dashboard(file);
            var values = d.Variables.Where(v => (string?)v["type"] is "query" or "custom")
                .ToDictionary(v => (string)v["name"]!, v => (string?)v["type"] == "custom" ? (string)v["current"]!["value"]! : ".*");
            values["__rate_interval"] = "1m";
            foreach (var (panel, expr) in d.Expressions)
            {
                var query = Regex.Replace(expr, @"\$\{?(\w+)\}?", m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
                var response = JsonNode.Parse(await prometheus.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(query)))!;
                if ((string?)response["status"] != "success") { empty.Add($"{d.FileName} '{panel}': {query} (status {(string?)response["status"]})"); continue; }
                if (response["data"]!["result"]!.AsArray().Count == 0) empty.Add($"{d.FileName} '{panel}': {query}");
            }
        }
        return empty;
    }
}
