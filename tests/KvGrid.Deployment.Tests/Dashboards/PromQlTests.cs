namespace KvGrid.Deployment.Tests.Dashboards;

public sealed class PromQlTests
{
    [Theory]
    [InlineData("up", new[] { "up" })]
    [InlineData("sum by (model, press) (rate(kvgrid_trials_completed_total{model=~\"$model\"}[$__rate_interval]))", new[] { "kvgrid_trials_completed_total" })]
    [InlineData("histogram_quantile(0.95, sum by (le) (rate(a_bucket{x=\"y{z}\"}[5m])))", new[] { "a_bucket" })]
    [InlineData("(max by (sweep) (t{s=~\"$s\"}) - max by (sweep) (d)) / clamp_min(deriv(d[10m]), 1e-3)", new[] { "t", "d", "d" })]
    [InlineData("sum(rate(x_total[1m])) or on() vector(0)", new[] { "x_total" })]
    [InlineData("max without (instance) (g) + count(h)", new[] { "g", "h" })]
    [InlineData("a / ignoring(stage) group_left(model) b offset 5m", new[] { "a", "b" })]
    [InlineData("1 - sum(a{stage=\"after\"}) / sum(a{stage='before'})", new[] { "a", "a" })]
    public void Lists_the_selected_metric_names(string expr, string[] expected) =>
        Assert.Equal(expected, PromQl.MetricNames(expr));

    [Fact]
    public void Lists_grafana_variables() =>
        Assert.Equal(["model", "__rate_interval", "press"], PromQl.Variables("rate(a{m=~\"$model\"}[$__rate_interval]) * on() b{p=\"${press}\"}"));
}
