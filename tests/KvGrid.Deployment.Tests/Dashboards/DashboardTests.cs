using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KvGrid.Deployment.Tests.Telemetry;

namespace KvGrid.Deployment.Tests.Dashboards;

public sealed class DashboardTests
{
    static readonly HashSet<string> GrafanaBuiltins = ["__rate_interval", "__interval", "__range", "__range_s", "__interval_ms"];

    [Fact]
    public void There_are_dashboards_with_distinct_uids()
    {
        var uids = Dashboard.Files.Select(f => (string?)new Dashboard(f).Json["uid"]).ToList();
        Assert.NotEmpty(uids);
        Assert.All(uids, u => Assert.False(string.IsNullOrWhiteSpace(u)));
        Assert.Equal(uids.Count, uids.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Dashboard.FileNames), MemberType = typeof(Dashboard))]
    public void Uses_a_current_schema_and_a_prometheus_datasource_variable(string file)
    {
        var d = Dashboard.Load(file);
        Assert.True((int?)d.Json["schemaVersion"] >= 39, $"{file}: schemaVersion {d.Json["schemaVersion"]}");
        Assert.False(string.IsNullOrWhiteSpace((string?)d.Json["title"]));
        var ds = Assert.Single(d.Variables, v => (string?)v["type"] == "datasource");
        Assert.Equal("datasource", (string?)ds["name"]);
        Assert.Equal("prometheus", (string?)ds["query"]);
    }

    [Theory]
    [MemberData(nameof(Dashboard.FileNames), MemberType = typeof(Dashboard))]
    public void Never_hard_codes_a_datasource_uid(string file)
    {
        var d = Dashboard.Load(file);
        var refs = Descendants(d.Json).OfType<JsonObject>()
            .Where(o => o["datasource"] is JsonObject)
            .Select(o => o["datasource"]!.AsObject())
            .Where(ds => (string?)ds["type"] != "grafana")
            .ToList();
        Assert.NotEmpty(refs);
        Assert.All(refs, ds => Assert.Equal("${datasource}", (string?)ds["uid"]));
    }

    [Theory]
    [MemberData(nameof(Dashboard.FileNames), MemberType = typeof(Dashboard))]
    public void Every_panel_queries_something_and_fits_the_grid(string file)
    {
        var d = Dashboard.Load(file);
        var ids = new HashSet<int>();
        foreach (var panel in d.Panels)
        {
            var title = (string?)panel["title"];
            Assert.True(ids.Add((int)panel["id"]!), $"{file}: duplicate panel id {panel["id"]}");
            var pos = panel["gridPos"]!;
            Assert.True((int)pos["x"]! + (int)pos["w"]! <= 24, $"{file}: panel '{title}' is wider than the grid");
            if ((string?)panel["type"] == "row") continue;
            Assert.False(string.IsNullOrWhiteSpace(title), $"{file}: a panel without a title");
            var targets = panel["targets"]?.AsArray();
            Assert.True(targets is { Count: > 0 }, $"{file}: panel '{title}' has no targets");
            foreach (var t in targets!)
                Assert.False(string.IsNullOrWhiteSpace((string?)t!["expr"]), $"{file}: panel '{title}' has a target without expr");
            Assert.Equal(targets!.Count, targets.Select(t => (string?)t!["refId"]).Distinct().Count());
        }
    }

    [Theory]
    [MemberData(nameof(Dashboard.FileNames), MemberType = typeof(Dashboard))]
    public void Every_metric_name_is_one_a_silo_exports(string file)
    {
        var d = Dashboard.Load(file);
        var selectors = d.Expressions.Select(e => (e.Panel, e.Expr))
            .Concat(d.Variables.Where(v => (string?)v["type"] == "query").Select(v => ($"variable {v["name"]}", LabelValuesSelector((string)v["definition"]!))));
        var unknown = selectors.SelectMany(e => PromQl.MetricNames(e.Item2).Where(n => !KnownMetrics.IsKnown(n)).Select(n => $"{e.Item1}: {n}")).ToList();
        Assert.True(unknown.Count == 0, $"{file}: unknown metric names: {string.Join("; ", unknown)}");
    }

    [Theory]
    [MemberData(nameof(Dashboard.FileNames), MemberType = typeof(Dashboard))]
    public void Every_variable_used_is_defined(string file)
    {
        var d = Dashboard.Load(file);
        var defined = d.Variables.Select(v => (string)v["name"]!).ToHashSet();
        var texts = d.Expressions.Select(e => e.Expr).Concat(d.Variables.Select(v => (string?)v["definition"] ?? ""));
        var undefined = texts.SelectMany(PromQl.Variables).Where(v => !defined.Contains(v) && !GrafanaBuiltins.Contains(v)).Distinct().ToList();
        Assert.True(undefined.Count == 0, $"{file}: undefined variables: {string.Join(", ", undefined)}");
    }

    [Theory]
    [MemberData(nameof(Dashboard.FileNames), MemberType = typeof(Dashboard))]
    public void Counters_and_buckets_are_only_read_through_rate_or_increase(string file)
    {
        var d = Dashboard.Load(file);
        var counters = KnownMetrics.GridInstruments.Where(i => i.Kind != InstrumentKind.Gauge).SelectMany(PrometheusNaming.SeriesNames)
            .Where(n => n.EndsWith("_total", StringComparison.Ordinal) || n.EndsWith("_bucket", StringComparison.Ordinal))
            .Concat(KnownMetrics.OtherSeries.Where(n => n.EndsWith("_total", StringComparison.Ordinal) || n.EndsWith("_bucket", StringComparison.Ordinal)))
            .ToHashSet();
        foreach (var (panel, expr) in d.Expressions)
            foreach (var name in PromQl.MetricNames(expr).Where(counters.Contains).Distinct())
            {
                var uses = Regex.Matches(expr, $@"\b{name}\b").Count;
                var wrapped = Regex.Matches(expr, $@"\b(rate|irate|increase)\(\s*{name}\b").Count;
                Assert.True(uses == wrapped, $"{file}: panel '{panel}' reads {name} outside rate()/increase()");
                if (name.EndsWith("_bucket", StringComparison.Ordinal))
                    Assert.Matches(@"histogram_quantile\(\s*0?\.\d+\s*,\s*sum by \(le\b", expr);
            }
    }

    [Theory]
    [MemberData(nameof(Dashboard.FileNames), MemberType = typeof(Dashboard))]
    public void Error_counters_that_may_never_have_fired_fall_back_to_zero(string file)
    {
        // The exporter only exposes a counter once it was incremented: without a fallback these panels would be
        // empty on a healthy cluster.
        string[] rare = ["kvgrid_trials_failed_total", "kvgrid_leases_expired_total", "dotnet_exceptions_total"];
        foreach (var (panel, expr) in Dashboard.Load(file).Expressions.Where(e => rare.Any(r => PromQl.MetricNames(e.Expr).Contains(r))))
            Assert.True(expr.TrimEnd().EndsWith("or on() vector(0)", StringComparison.Ordinal), $"{file}: panel '{panel}' needs 'or on() vector(0)'");
    }

    [Fact]
    public void The_dashboards_cover_the_observability_issue()
    {
        var used = Dashboard.Files.SelectMany(f => new Dashboard(f).Expressions).SelectMany(e => PromQl.MetricNames(e.Expr)).ToHashSet();
        string[] required =
        [
            "kvgrid_sweep_trials_done", "kvgrid_sweep_trials_planned", "kvgrid_trials_completed_total", "kvgrid_tokens_prefill_total",
            "kvgrid_tokens_decode_total", "kvgrid_trial_duration_seconds_bucket", "kvgrid_kv_cache_size_bytes", "kvgrid_defense_success",
            "kvgrid_ifeval_accuracy", "kvgrid_span_keep", "kvgrid_shard_up", "kvgrid_shard_model_load_duration_seconds_sum",
            "kvgrid_shard_model_memory_bytes", "kvgrid_trials_failed_total", "kvgrid_leases_expired_total", "up",
        ];
        Assert.DoesNotContain(required, r => !used.Contains(r));
    }

    /// <summary>"label_values(metric{...}, label)" -> "metric{...}".</summary>
    static string LabelValuesSelector(string definition)
    {
        var m = Regex.Match(definition, @"^label_values\((.*),\s*\w+\)$");
        return m.Success ? m.Groups[1].Value : definition;
    }

    static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var c in children.OfType<JsonNode>())
            foreach (var d in Descendants(c)) yield return d;
    }
}
