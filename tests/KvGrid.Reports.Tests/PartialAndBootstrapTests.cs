using KvGrid.Reports.Analysis;

namespace KvGrid.Reports.Tests;

public class PartialResultsTests
{
    [Fact]
    public void Partial_results_say_what_is_missing()
    {
        var rows = Fixture.Rows();
        // A running sweep: one plain-press trial at 0.5 failed, one whitelist trial at 0 not run yet,
        // and the IFEval press has no ratio-0 cell yet.
        int i = rows.FindIndex(r => r.TrialId == "leak-none-0.5-B-1");
        rows[i] = rows[i] with { Status = "failed", Error = "boom", Leaked = null };
        rows.RemoveAll(r => r.TrialId == "leak-whitelist-0-A-0" || (r.Benchmark == "ifeval" && r.Ratio == 0));
        var data = ReportBuilder.Build(rows, "partial", new ReportOptions(100, 1));

        Assert.Equal((20 - 3, 20 - 3 - 1, 1), (data.Summary.Trials, data.Summary.Ok, data.Summary.Failed));
        Assert.Equal(3, data.Missing.Count);
        Assert.Equal("1 of 17 trials failed and are left out of every table (most in leakage / m / d1 / defense_first / knorm / remedy none / ratio 0.5: 1).", data.Missing[0]);
        Assert.Equal("2 cells have fewer ok trials than the fullest cell of their benchmark (a running or incomplete sweep?): "
            + "leakage / m / d1 / defense_first / knorm / remedy none / ratio 0.5 has 3 ok trials of 4; "
            + "leakage / m / d1 / defense_first / knorm / remedy whitelist / ratio 0 has 3 ok trials of 4.", data.Missing[1]);
        Assert.Equal("1 groups have no ratio-0 (uncompressed) baseline: degradation ranks and quality lost are not computed for them: ifeval / m / none / snapkv (ratios 0.5).", data.Missing[2]);

        // The failed trial is left out: plain press at 0.5 now has A leak, leak, B leak -> 3 of 3.
        var plain = data.Leakage.Single(r => r.Remedy == "none" && r.Ratio == 0.5);
        Assert.Equal((3, 3), (plain.Trials, plain.Leaks));
        Assert.Empty(data.InstructionDegradation); // no baseline to halve
        Assert.Null(data.Throughput.Single(r => r.Press == "snapkv").IfEvalPromptStrictLost);
    }

    [Fact]
    public void A_remedy_without_plain_press_is_noted()
    {
        var rows = Fixture.Rows();
        rows.RemoveAll(r => r.Remedy == "none" && r.Ratio == 0.5 && r.Benchmark == "leakage");
        var data = ReportBuilder.Build(rows, "x", new ReportOptions(10, 1));
        Assert.Contains("1 remedy cells have no plain-press (remedy none) cell to compare with: leakage / m / d1 / defense_first / knorm / remedy whitelist / ratio 0.5.", data.Missing);
        Assert.Single(data.RemedyDeltas); // only ratio 0 can be compared
    }
}

public class BootstrapTests
{
    static readonly PairedCluster[] Clusters =
    [
        new(3, 4, 1, 4), new(2, 4, 2, 4), new(4, 4, 0, 4), new(1, 4, 1, 4), new(0, 4, 1, 4), new(4, 4, 3, 4), new(2, 4, 0, 4),
    ];

    [Fact]
    public void Same_seed_same_interval_and_it_contains_the_point_estimate()
    {
        var a = ClusterBootstrap.RateDifference(Clusters, 1000, 42);
        var b = ClusterBootstrap.RateDifference(Clusters, 1000, 42);
        var c = ClusterBootstrap.RateDifference(Clusters, 1000, 43);
        Assert.Equal(a, b);
        Assert.NotEqual((a.Low, a.High), (c.Low, c.High));
        // Point estimate: treated 16/28, plain 8/28 -> 8/28.
        Assert.Equal(8.0 / 28, a.Delta, 1e-12);
        Assert.InRange(a.Delta, a.Low, a.High);
        Assert.True(a.Low < a.Delta && a.Delta < a.High);
    }

    [Fact]
    public void Report_level_bootstrap_is_deterministic_for_a_seed()
    {
        var x = ReportBuilder.Build(Fixture.Rows(), "x", new ReportOptions(500, 5)).RemedyDeltas;
        var y = ReportBuilder.Build(Fixture.Rows(), "x", new ReportOptions(500, 5)).RemedyDeltas;
        Assert.Equal(x, y);
        Assert.All(x, r => Assert.InRange(r.Delta, r.CiLow, r.CiHigh));
    }

    [Fact]
    public void Quantile_is_numpy_linear()
    {
        // numpy.quantile([1, 2, 4, 8], 0.4): h = 3 * 0.4 = 1.2 -> 2 + 0.2 * (4 - 2) = 2.4
        Assert.Equal(2.4, Stats.Quantile([1, 2, 4, 8], 0.4), 1e-12);
        Assert.Equal(8, Stats.Quantile([1, 2, 4, 8], 1.0));
    }
}
