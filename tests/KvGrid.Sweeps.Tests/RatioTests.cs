namespace KvGrid.Sweeps.Tests;

public sealed class RatioTests(SpecFixture f) : IClassFixture<SpecFixture>
{
    private IReadOnlyList<double> Ratios(string line) => f.Parse(f.Raccoon(ratios: line)).Ratios.Value;

    [Fact]
    public void PaperRangeGivesExactlyTenRatios()
    {
        // Rounded to 1e-9, so 3 * 0.1 is the literal 0.3 and 0.9 (inclusive stop) is reached despite float error.
        Assert.Equal([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], Ratios("ratios: { start: 0.0, stop: 0.9, step: 0.1 }"));
    }

    [Fact]
    public void RangeStopIsInclusiveOnlyWhenReached()
    {
        Assert.Equal([0.2, 0.45, 0.7], Ratios("ratios: { start: 0.2, stop: 0.8, step: 0.25 }"));
        Assert.Equal([0.5], Ratios("ratios: { start: 0.5, stop: 0.5, step: 0.1 }"));
    }

    [Fact]
    public void ListIsSortedAndASingleValueIsAccepted()
    {
        Assert.Equal([0.0, 0.25, 0.5], Ratios("ratios: [0.5, 0.0, 0.25]"));
        Assert.Equal([0.3], Ratios("ratios: 0.3"));
    }

    [Fact]
    public void ContextsCarryEveryRatio()
    {
        var x = f.Expand(f.Raccoon(ratios: "ratios: { start: 0.0, stop: 0.9, step: 0.1 }"));
        Assert.All(x.Contexts, c => Assert.Equal(10, c.Ratios.Count));
        Assert.Equal(x.Contexts.Count * 10L * 4, x.TrialCount);
    }
}
