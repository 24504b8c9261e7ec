using KvGrid.Contracts;

namespace KvGrid.Results.Storage;

/// <summary>How a column is stored: the SQL, CSV and Parquet layers map each kind to their own type.</summary>
public enum ColumnKind
{
    Text,
    Int32,
    Int64,
    Double,
    Bool,
    /// <summary>A list or dictionary as JSON text (jsonb in PostgreSQL).</summary>
    Json,
    /// <summary>An instant; the databases keep it in UTC.</summary>
    Timestamp,
}

/// <summary>
/// One stored column of <see cref="TrialResult"/>. <see cref="Get"/> returns the column's cell: string, int, long,
/// double, bool, DateTimeOffset, JSON text for <see cref="ColumnKind.Json"/>, or null.
/// </summary>
public sealed record TrialColumn(string Name, ColumnKind Kind, bool Nullable, Func<TrialResult, object?> Get);

/// <summary>
/// The one list of trial columns (name, kind, nullability, cell), in table order. Every layer (SQLite,
/// PostgreSQL, CSV, Parquet) derives its columns from here, so a field added to <see cref="TrialResult"/> is added
/// once here and once in <see cref="TrialCells.FromCells"/>.
/// </summary>
public static class TrialColumns
{
    static TrialColumn Text(string name, Func<TrialResult, string?> get) => new(name, ColumnKind.Text, false, get);
    static TrialColumn OptText(string name, Func<TrialResult, string?> get) => new(name, ColumnKind.Text, true, get);
    static TrialColumn Int(string name, Func<TrialResult, int> get) => new(name, ColumnKind.Int32, false, r => get(r));
    static TrialColumn Long(string name, Func<TrialResult, long> get) => new(name, ColumnKind.Int64, false, r => get(r));
    static TrialColumn Real(string name, Func<TrialResult, double> get) => new(name, ColumnKind.Double, false, r => get(r));
    static TrialColumn OptReal(string name, Func<TrialResult, double?> get) => new(name, ColumnKind.Double, true, r => get(r));
    static TrialColumn OptBool(string name, Func<TrialResult, bool?> get) => new(name, ColumnKind.Bool, true, r => get(r));
    static TrialColumn OptJson(string name, Func<TrialResult, string?> get) => new(name, ColumnKind.Json, true, get);

    public static readonly TrialColumn TrialId = Text("trial_id", r => r.TrialId);
    public static readonly TrialColumn SweepId = Text("sweep_id", r => r.SweepId);
    public static readonly TrialColumn ContextId = Text("context_id", r => r.ContextId);
    public static readonly TrialColumn Model = Text("model", r => r.Model);
    public static readonly TrialColumn Benchmark = Text("benchmark", r => r.Benchmark);
    public static readonly TrialColumn ItemId = Text("item_id", r => r.ItemId);
    public static readonly TrialColumn Defense = Text("defense", r => r.Defense);
    public static readonly TrialColumn DefenseOrder = Text("defense_order", r => r.DefenseOrder);
    public static readonly TrialColumn AttackCategory = OptText("attack_category", r => r.AttackCategory);
    public static readonly TrialColumn TurnId = Text("turn_id", r => r.TurnId);
    public static readonly TrialColumn Press = Text("press", r => r.Press);
    public static readonly TrialColumn PressParams = Text("press_params", r => r.PressParams);
    public static readonly TrialColumn Remedy = Text("remedy", r => r.Remedy);
    public static readonly TrialColumn Ratio = Real("ratio", r => r.Ratio);
    public static readonly TrialColumn Repetition = Int("repetition", r => r.Repetition);
    public static readonly TrialColumn Status = Text("status", r => r.Status);
    public static readonly TrialColumn Error = OptText("error", r => r.Error);
    public static readonly TrialColumn Response = OptText("response", r => r.Response);
    public static readonly TrialColumn ContextTokens = Int("context_tokens", r => r.ContextTokens);
    public static readonly TrialColumn KeptTokens = Int("kept_tokens", r => r.KeptTokens);
    public static readonly TrialColumn PromptTokens = Int("prompt_tokens", r => r.PromptTokens);
    public static readonly TrialColumn GeneratedTokens = Int("generated_tokens", r => r.GeneratedTokens);
    public static readonly TrialColumn MeanEntropy = Real("mean_entropy", r => r.MeanEntropy);
    public static readonly TrialColumn KvBytesBefore = Long("kv_bytes_before", r => r.KvBytesBefore);
    public static readonly TrialColumn KvBytesAfter = Long("kv_bytes_after", r => r.KvBytesAfter);
    public static readonly TrialColumn IfEvalInstructionIds = OptJson("ifeval_instruction_ids", r => TrialJson.Encode(r.IfEvalInstructionIds));
    public static readonly TrialColumn IfEvalStrict = OptJson("ifeval_strict", r => TrialJson.Encode(r.IfEvalStrict));
    public static readonly TrialColumn IfEvalLoose = OptJson("ifeval_loose", r => TrialJson.Encode(r.IfEvalLoose));
    public static readonly TrialColumn Rouge1Precision = OptReal("rouge1_precision", r => r.Rouge1Precision);
    public static readonly TrialColumn Rouge1Recall = OptReal("rouge1_recall", r => r.Rouge1Recall);
    public static readonly TrialColumn Rouge1F1 = OptReal("rouge1_f1", r => r.Rouge1F1);
    public static readonly TrialColumn RougeLPrecision = OptReal("rougel_precision", r => r.RougeLPrecision);
    public static readonly TrialColumn RougeLRecall = OptReal("rougel_recall", r => r.RougeLRecall);
    public static readonly TrialColumn RougeLF1 = OptReal("rougel_f1", r => r.RougeLF1);
    public static readonly TrialColumn Leaked = OptBool("leaked", r => r.Leaked);
    public static readonly TrialColumn Refused = OptBool("refused", r => r.Refused);
    public static readonly TrialColumn SpanKeep = OptJson("span_keep", r => TrialJson.Encode(r.SpanKeep));
    public static readonly TrialColumn PrefillMs = Real("prefill_ms", r => r.PrefillMs);
    public static readonly TrialColumn DecodeMs = Real("decode_ms", r => r.DecodeMs);
    public static readonly TrialColumn Silo = OptText("silo", r => r.Silo);
    public static readonly TrialColumn Device = OptText("device", r => r.Device);
    public static readonly TrialColumn DType = OptText("dtype", r => r.DType);
    public static readonly TrialColumn CompletedAt = new("completed_at", ColumnKind.Timestamp, false, r => r.CompletedAt);

    public static readonly IReadOnlyList<TrialColumn> All =
    [
        TrialId, SweepId, ContextId, Model, Benchmark, ItemId, Defense, DefenseOrder, AttackCategory, TurnId,
        Press, PressParams, Remedy, Ratio, Repetition, Status, Error, Response,
        ContextTokens, KeptTokens, PromptTokens, GeneratedTokens, MeanEntropy, KvBytesBefore, KvBytesAfter,
        IfEvalInstructionIds, IfEvalStrict, IfEvalLoose,
        Rouge1Precision, Rouge1Recall, Rouge1F1, RougeLPrecision, RougeLRecall, RougeLF1, Leaked, Refused,
        SpanKeep, PrefillMs, DecodeMs, Silo, Device, CompletedAt, DType,
    ];

    /// <summary>Columns added after files were first exported: a CSV or Parquet file written before them reads as NULL.</summary>
    public static readonly IReadOnlySet<string> AddedLater = new HashSet<string>(StringComparer.Ordinal) { DType.Name };

    /// <summary>The column names joined with ", " (SELECT and INSERT lists).</summary>
    public static readonly string NameList = string.Join(", ", All.Select(c => c.Name));

    public const string StatusOk = "ok";
    public const string StatusFailed = "failed";
}
