using KvGrid.Contracts;
using KvGrid.Grid.Coordination;

namespace KvGrid.Grid.Tests;

public sealed class AggregatorTests
{
    static TrialResult Row(string id, double ratio, bool? leaked = null, bool[]? strict = null, bool[]? loose = null, double defenseKeep = 1) => new()
    {
        TrialId = id, SweepId = "s", ContextId = "c", Model = "m", Benchmark = "b", ItemId = "i", Defense = "d", DefenseOrder = "defense_first",
        TurnId = "t", Press = "snapkv", PressParams = "{}", Remedy = "none", Ratio = ratio, Status = "ok",
        Leaked = leaked, IfEvalStrict = strict, IfEvalLoose = loose, IfEvalInstructionIds = strict?.Select((_, i) => "x:" + i).ToList(),
        SpanKeep = new Dictionary<string, double> { ["defense"] = defenseKeep },
    };

    [Fact]
    public void CountsLeaksAndIfEvalPerCellOncePerTrial()
    {
        var a = new Aggregator();
        Assert.True(a.Add(Row("1", 0.5, leaked: true, defenseKeep: 0.2)));
        Assert.True(a.Add(Row("2", 0.5, leaked: false, defenseKeep: 0.4)));
        Assert.False(a.Add(Row("2", 0.5, leaked: false)));                       // re-delivered: ignored
        Assert.True(a.Add(Row("3", 0.5, strict: [true, false], loose: [true, true])));
        Assert.True(a.Add(Row("4", 0.0, leaked: false)));
        Assert.False(a.Add(Row("5", 0.5, leaked: true) with { Status = "failed" })); // failed rows are not metrics

        var half = a.Rows().Single(r => r.Ratio == 0.5);
        Assert.Equal(2, half.LeakageTrials);
        Assert.Equal(1, half.Leaked);
        Assert.Equal(0.5, half.DefenseSuccess);
        Assert.Equal(1, half.IfEvalTrials);
        Assert.Equal(0, half.PromptStrict);
        Assert.Equal(1, half.PromptLoose);
        Assert.Equal(2, half.Instructions);
        Assert.Equal(1, half.InstructionStrict);
        Assert.Equal(2, half.InstructionLoose);
        Assert.Equal((0.2 + 0.4 + 1) / 3, half.MeanSpanKeep["defense"], 12);
        Assert.Equal(1.0, a.Rows().Single(r => r.Ratio == 0.0).DefenseSuccess);
    }
}
