using KvGrid.Contracts;
using C = KvGrid.Results.Storage.TrialColumns;

namespace KvGrid.Results.Storage;

/// <summary>A source of one row's cells (a database reader's current row, a CSV record).</summary>
public interface ICellReader
{
    /// <summary>Text or JSON text; null for NULL.</summary>
    string? Text(TrialColumn column);
    int Int32(TrialColumn column);
    long Int64(TrialColumn column);
    double? Double(TrialColumn column);
    bool? Bool(TrialColumn column);
    DateTimeOffset Timestamp(TrialColumn column);

    /// <summary>The exception to throw for a bad cell, naming where the row came from (file:line, trial id).</summary>
    Exception BadCell(TrialColumn column, string reason);
}

/// <summary>Builds a <see cref="TrialResult"/> from a row's cells (the inverse of <see cref="TrialColumn.Get"/>).</summary>
public static class TrialCells
{
    public static TrialResult FromCells(ICellReader r) => new()
    {
        TrialId = Required(r, C.TrialId),
        SweepId = Required(r, C.SweepId),
        ContextId = Required(r, C.ContextId),
        Model = Required(r, C.Model),
        Benchmark = Required(r, C.Benchmark),
        ItemId = Required(r, C.ItemId),
        Defense = Required(r, C.Defense),
        DefenseOrder = Required(r, C.DefenseOrder),
        AttackCategory = r.Text(C.AttackCategory),
        TurnId = Required(r, C.TurnId),
        Press = Required(r, C.Press),
        PressParams = Required(r, C.PressParams),
        Remedy = Required(r, C.Remedy),
        Ratio = RequiredDouble(r, C.Ratio),
        Repetition = r.Int32(C.Repetition),
        Status = Required(r, C.Status),
        Error = r.Text(C.Error),
        Response = r.Text(C.Response),
        ContextTokens = r.Int32(C.ContextTokens),
        KeptTokens = r.Int32(C.KeptTokens),
        PromptTokens = r.Int32(C.PromptTokens),
        GeneratedTokens = r.Int32(C.GeneratedTokens),
        MeanEntropy = RequiredDouble(r, C.MeanEntropy),
        KvBytesBefore = r.Int64(C.KvBytesBefore),
        KvBytesAfter = r.Int64(C.KvBytesAfter),
        IfEvalInstructionIds = Json<string[]>(r, C.IfEvalInstructionIds),
        IfEvalStrict = Json<bool[]>(r, C.IfEvalStrict),
        IfEvalLoose = Json<bool[]>(r, C.IfEvalLoose),
        Rouge1Precision = r.Double(C.Rouge1Precision),
        Rouge1Recall = r.Double(C.Rouge1Recall),
        Rouge1F1 = r.Double(C.Rouge1F1),
        RougeLPrecision = r.Double(C.RougeLPrecision),
        RougeLRecall = r.Double(C.RougeLRecall),
        RougeLF1 = r.Double(C.RougeLF1),
        Leaked = r.Bool(C.Leaked),
        Refused = r.Bool(C.Refused),
        SpanKeep = Json<Dictionary<string, double>>(r, C.SpanKeep),
        PrefillMs = RequiredDouble(r, C.PrefillMs),
        DecodeMs = RequiredDouble(r, C.DecodeMs),
        Silo = r.Text(C.Silo),
        Device = r.Text(C.Device),
        CompletedAt = r.Timestamp(C.CompletedAt),
        DType = r.Text(C.DType),
    };

    static string Required(ICellReader r, TrialColumn c) => r.Text(c) ?? throw r.BadCell(c, "missing value");
    static double RequiredDouble(ICellReader r, TrialColumn c) => r.Double(c) ?? throw r.BadCell(c, "missing value");

    static T? Json<T>(ICellReader r, TrialColumn c) where T : class
    {
        try { return TrialJson.Decode<T>(r.Text(c)); }
        catch (FormatException e) { throw r.BadCell(c, e.Message); }
    }

    /// <summary>Checks what the storage relies on: a status of "ok" or "failed", the non-nullable texts present.</summary>
    public static void Validate(TrialResult row)
    {
        if (row.Status is not (C.StatusOk or C.StatusFailed))
            throw new ArgumentException($"trial {row.TrialId}: status must be '{C.StatusOk}' or '{C.StatusFailed}', not '{row.Status}'");
        foreach (var c in C.All)
            if (!c.Nullable && c.Get(row) is null)
                throw new ArgumentException($"trial {row.TrialId}: {c.Name} is null");
    }
}
