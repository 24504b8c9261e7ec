namespace KvGrid.Sweeps.Tests;

public sealed class PlanTests(SpecFixture f) : IClassFixture<SpecFixture>
{
    [Fact]
    public void PlanCountsTokensAndTime()
    {
        var x = f.Expand(f.Raccoon(defenses: "defenses: [standard_defense]"));
        var plan = SweepPlan.For(x, new PlanThroughput(PrefillTokensPerSecond: 100, DecodeTokensPerSecond: 10));
        long Tokens(int chars) => (chars + 3) / 4;
        var contextTokens = x.Contexts.Sum(c => Tokens(c.SystemMessage.Length));
        var turnTokens = x.Contexts.Sum(c => c.Ratios.Count * c.Turns.Sum(t => Tokens(t.Text.Length)));
        Assert.Equal((2L, 2L, 2L * 2 * 4), (plan.ContextCount, plan.PrefillCount, plan.TrialCount));
        Assert.Equal(contextTokens, plan.ContextPrefillTokens);
        Assert.Equal(turnTokens, plan.TurnPrefillTokens);
        Assert.Equal(16L * 256, plan.DecodeTokensUpperBound);
        Assert.Equal((contextTokens + turnTokens) / 100.0 + 16 * 256 / 10.0, plan.EstimatedTime.TotalSeconds, 3);
    }

    [Fact]
    public void NonPositiveThroughputIsAUserError()
    {
        var x = f.Expand(f.Raccoon());
        Assert.Throws<KvGridException>(() => SweepPlan.For(x, new PlanThroughput(0, 10)));
    }
}
