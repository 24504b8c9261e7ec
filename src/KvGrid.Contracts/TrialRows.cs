using System.Text.Json;

namespace KvGrid.Contracts;

/// <summary>Builds result rows from a context's axes (shared by executors and the coordinator's failure records).</summary>
public static class TrialRows
{
    public static TrialResult Axes(ContextWork work, double ratio, UserTurn turn, string trialId) => new()
    {
        TrialId = trialId,
        SweepId = work.SweepId,
        ContextId = work.ContextId,
        Model = work.Model.Name,
        Benchmark = work.Benchmark,
        ItemId = work.ItemId,
        Defense = work.Defense,
        DefenseOrder = work.DefenseOrder,
        AttackCategory = turn.AttackCategory,
        TurnId = turn.TurnId,
        Press = work.Press.Text,
        PressParams = JsonSerializer.Serialize(work.Press.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary()),
        Remedy = work.Remedy.Name,
        Ratio = ratio,
        Repetition = work.Repetition,
        Status = "ok",
        CompletedAt = DateTimeOffset.UtcNow,
    };

    public static TrialResult Failed(ContextWork work, double ratio, UserTurn turn, string trialId, string error) =>
        Axes(work, ratio, turn, trialId) with { Status = "failed", Error = error };
}
