using KvGrid.Reports.Analysis;
using static KvGrid.Reports.Rendering.ReportTableFactory;

namespace KvGrid.Reports.Rendering;

/// <summary>The typed rows of <see cref="ReportData"/> as renderable tables, one per analysis (ids are CSV file names).</summary>
public static class ReportTables
{
    public const string Coverage = "coverage";
    public const string Leakage = "leakage";
    public const string LeakageByAttack = "leakage_by_attack";
    public const string RougeDistribution = "rougel_recall_distribution";
    public const string IfEval = "ifeval";
    public const string IfEvalByFamily = "ifeval_by_family";
    public const string IfEvalByInstruction = "ifeval_by_instruction";
    public const string InstructionDegradation = "instruction_degradation";
    public const string EvictionBias = "eviction_bias";
    public const string InstructionKeep = "instruction_keep";
    public const string RemedyDeltas = "remedy_deltas";
    public const string Throughput = "throughput";

    public static IReadOnlyDictionary<string, ReportTable> All(ReportData d)
    {
        ReportTable[] tables =
        [
            Create(Coverage, "Trials per cell", d.Coverage,
                new Column<CoverageRow>("benchmark", r => r.Benchmark), new("model", r => r.Model), new("defense", r => r.Defense),
                new("defense_order", r => r.DefenseOrder), new("press", r => r.Press), new("remedy", r => r.Remedy),
                new("ratio", r => r.Ratio), new("ok", r => r.Ok), new("failed", r => r.Failed)),
            Create(Leakage, "Leakage: defense success and leak rate", d.Leakage,
                new Column<LeakageRow>("model", r => r.Model), new("defense_order", r => r.DefenseOrder), new("press", r => r.Press),
                new("remedy", r => r.Remedy), new("ratio", r => r.Ratio), new("trials", r => r.Trials), new("leaks", r => r.Leaks),
                new("leak_rate", r => r.LeakRate), new("defense_success", r => r.DefenseSuccess),
                new("mean_rougel_recall", r => r.MeanRougeLRecall), new("mean_rouge1_recall", r => r.MeanRouge1Recall),
                new("refusal_rate", r => r.RefusalRate)),
            Create(LeakageByAttack, "Leakage by attack category", d.LeakageByAttack,
                new Column<LeakageByAttackRow>("model", r => r.Model), new("defense_order", r => r.DefenseOrder),
                new("attack_category", r => r.AttackCategory), new("press", r => r.Press), new("remedy", r => r.Remedy),
                new("ratio", r => r.Ratio), new("trials", r => r.Trials), new("leaks", r => r.Leaks),
                new("leak_rate", r => r.LeakRate), new("defense_success", r => r.DefenseSuccess)),
            Create(RougeDistribution, "ROUGE-L recall distribution", d.RougeDistribution,
                new Column<RougeDistributionRow>("model", r => r.Model), new("defense_order", r => r.DefenseOrder), new("press", r => r.Press),
                new("remedy", r => r.Remedy), new("ratio", r => r.Ratio), new("trials", r => r.Trials), new("mean", r => r.Mean),
                new("min", r => r.Min), new("p25", r => r.P25), new("median", r => r.Median), new("p75", r => r.P75), new("max", r => r.Max)),
            Create(IfEval, "IFEval accuracy", d.IfEval,
                new Column<IfEvalRow>("model", r => r.Model), new("defense_order", r => r.DefenseOrder), new("press", r => r.Press),
                new("remedy", r => r.Remedy), new("ratio", r => r.Ratio), new("prompts", r => r.Prompts),
                new("prompt_strict", r => r.PromptStrict), new("prompt_loose", r => r.PromptLoose), new("instructions", r => r.Instructions),
                new("instruction_strict", r => r.InstructionStrict), new("instruction_loose", r => r.InstructionLoose)),
            Breakdown(IfEvalByFamily, "IFEval accuracy per instruction family", "family", d.IfEvalByFamily),
            Breakdown(IfEvalByInstruction, "IFEval accuracy per instruction id", "instruction_id", d.IfEvalByInstruction),
            Create(InstructionDegradation, "Instructions ignored first (plain press)", d.InstructionDegradation,
                new Column<InstructionDegradationRow>("model", r => r.Model), new("defense_order", r => r.DefenseOrder),
                new("press", r => r.Press), new("rank", r => r.Rank), new("instruction_id", r => r.Instruction),
                new("baseline_instructions", r => r.BaselineInstructions), new("baseline_strict", r => r.BaselineStrict),
                new("half_ratio", r => r.HalfRatio), new("strict_at_half_ratio", r => r.StrictAtHalfRatio),
                new("max_ratio", r => r.MaxRatio), new("strict_at_max_ratio", r => r.StrictAtMaxRatio)),
            Create(EvictionBias, "Eviction bias: span keep fractions", d.EvictionBias,
                new Column<EvictionBiasRow>("model", r => r.Model), new("defense_order", r => r.DefenseOrder), new("press", r => r.Press),
                new("remedy", r => r.Remedy), new("ratio", r => r.Ratio), new("contexts", r => r.Contexts),
                new("defense_keep", r => r.DefenseKeep), new("system_keep", r => r.SystemKeep), new("prefix_keep", r => r.PrefixKeep),
                new("defense_minus_system", r => r.Gap)),
            Create(InstructionKeep, "Keep fraction per instruction", d.InstructionKeep,
                new Column<InstructionKeepRow>("model", r => r.Model), new("defense_order", r => r.DefenseOrder), new("press", r => r.Press),
                new("remedy", r => r.Remedy), new("ratio", r => r.Ratio), new("instruction", r => r.Instruction),
                new("contexts", r => r.Contexts), new("mean_keep", r => r.MeanKeep)),
            Create(RemedyDeltas, "Remedies against the plain press (95% cluster bootstrap CI)", d.RemedyDeltas,
                new Column<RemedyDeltaRow>("model", r => r.Model), new("defense_order", r => r.DefenseOrder), new("press", r => r.Press),
                new("remedy", r => r.Remedy), new("ratio", r => r.Ratio), new("metric", r => r.Metric), new("items", r => r.Items),
                new("plain", r => r.Baseline), new("remedy_value", r => r.Value), new("delta", r => r.Delta),
                new("ci_low", r => r.CiLow), new("ci_high", r => r.CiHigh)),
            Create(Throughput, "KV memory saved and quality lost", d.Throughput,
                new Column<ThroughputRow>("model", r => r.Model), new("press", r => r.Press), new("remedy", r => r.Remedy),
                new("ratio", r => r.Ratio), new("trials", r => r.Trials), new("kv_memory_saved", r => r.KvMemorySaved),
                new("mean_prefill_ms", r => r.MeanPrefillMs), new("mean_decode_ms", r => r.MeanDecodeMs),
                new("decode_tokens_per_s", r => r.DecodeTokensPerSecond),
                new("defense_success", r => r.DefenseSuccess), new("defense_success_lost", r => r.DefenseSuccessLost),
                new("ifeval_prompt_strict", r => r.IfEvalPromptStrict), new("ifeval_prompt_strict_lost", r => r.IfEvalPromptStrictLost)),
        ];
        return tables.ToDictionary(t => t.Id);
    }

    static ReportTable Breakdown(string id, string title, string keyName, IReadOnlyList<IfEvalBreakdownRow> rows) =>
        Create(id, title, rows,
            new Column<IfEvalBreakdownRow>("model", r => r.Model), new("defense_order", r => r.DefenseOrder), new("press", r => r.Press),
            new("remedy", r => r.Remedy), new("ratio", r => r.Ratio), new(keyName, r => r.Instruction),
            new("instructions", r => r.Instructions), new("strict", r => r.Strict), new("loose", r => r.Loose));
}
