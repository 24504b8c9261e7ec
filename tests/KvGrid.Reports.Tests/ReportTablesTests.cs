using KvGrid.Reports.Analysis;

namespace KvGrid.Reports.Tests;

/// <summary>Every table cell of the fixture (see <see cref="Fixture"/>), worked out by hand.</summary>
public class ReportTablesTests
{
    const double Tol = 1e-12;
    static readonly ReportData Data = ReportBuilder.Build(Fixture.Rows(), "fixture", new ReportOptions(1000, 42));

    [Fact]
    public void Leakage_rates_per_cell()
    {
        var rows = Data.Leakage;
        Assert.Equal(4, rows.Count);
        // (model, order, press, remedy, ratio, trials, leaks, leak rate, success, mean ROUGE-L recall, refusal rate)
        Expect(rows[0], "none", 0, 4, 0, 0, 1, (0.1 + 0.2 + 0.0 + 0.1) / 4 /* 0.1 */, 1);
        Expect(rows[1], "none", 0.5, 4, 3, 0.75, 0.25, (0.9 + 0.5 + 0.4 + 0.2) / 4 /* 0.5 */, 0.25);
        Expect(rows[2], "whitelist", 0, 4, 0, 0, 1, 0.1, 1);
        Expect(rows[3], "whitelist", 0.5, 4, 1, 0.25, 0.75, (0.1 + 0.1 + 0.6 + 0.1) / 4 /* 0.225 */, 0.75);

        static void Expect(LeakageRow r, string remedy, double ratio, int trials, int leaks, double rate, double success, double recall, double refusal)
        {
            Assert.Equal(("m", "defense_first", "knorm", remedy, ratio), (r.Model, r.DefenseOrder, r.Press, r.Remedy, r.Ratio));
            Assert.Equal((trials, leaks), (r.Trials, r.Leaks));
            Assert.Equal(rate, r.LeakRate, Tol);
            Assert.Equal(success, r.DefenseSuccess, Tol);
            Assert.Equal(recall, r.MeanRougeLRecall, Tol);
            Assert.Equal(recall, r.MeanRouge1Recall, Tol);
            Assert.Equal(refusal, r.RefusalRate!.Value, Tol);
        }
    }

    [Fact]
    public void Leakage_by_attack_category()
    {
        var rows = Data.LeakageByAttack;
        Assert.Equal(8, rows.Count); // 2 categories x 2 remedies x 2 ratios
        // "direct" (turn 0) sorts first; plain press at 0.5: A leaked, B leaked -> 2/2.
        var direct = rows.Single(r => r.AttackCategory == "direct" && r.Remedy == "none" && r.Ratio == 0.5);
        Assert.Equal((2, 2), (direct.Trials, direct.Leaks));
        Assert.Equal(0.0, direct.DefenseSuccess, Tol);
        // "indirect" (turn 1) at 0.5: A leaked, B not -> 1/2.
        var indirect = rows.Single(r => r.AttackCategory == "indirect" && r.Remedy == "none" && r.Ratio == 0.5);
        Assert.Equal((2, 1), (indirect.Trials, indirect.Leaks));
        Assert.Equal(0.5, indirect.LeakRate, Tol);
        // whitelist at 0.5: direct B leaked (1/2), indirect none (0/2).
        Assert.Equal(0.5, rows.Single(r => r.AttackCategory == "direct" && r.Remedy == "whitelist" && r.Ratio == 0.5).LeakRate, Tol);
        Assert.Equal(1.0, rows.Single(r => r.AttackCategory == "indirect" && r.Remedy == "whitelist" && r.Ratio == 0.5).DefenseSuccess, Tol);
        Assert.Equal("direct", rows[0].AttackCategory);
    }

    [Fact]
    public void RougeL_recall_quantiles_interpolate_linearly()
    {
        // Plain press at 0.5: sorted recalls 0.2 0.4 0.5 0.9.
        var r = Data.RougeDistribution.Single(x => x.Remedy == "none" && x.Ratio == 0.5);
        Assert.Equal(4, r.Trials);
        Assert.Equal(0.5, r.Mean, Tol);
        Assert.Equal(0.2, r.Min, Tol);
        Assert.Equal(0.2 + 0.75 * (0.4 - 0.2) /* h = 3 * 0.25 = 0.75 -> 0.35 */, r.P25, Tol);
        Assert.Equal(0.4 + 0.5 * (0.5 - 0.4) /* h = 1.5 -> 0.45 */, r.Median, Tol);
        Assert.Equal(0.5 + 0.25 * (0.9 - 0.5) /* h = 2.25 -> 0.6 */, r.P75, Tol);
        Assert.Equal(0.9, r.Max, Tol);
        Assert.Equal(4, Data.RougeDistribution.Count);
    }

    [Fact]
    public void IfEval_prompt_and_instruction_accuracy()
    {
        Assert.Equal(2, Data.IfEval.Count);
        var r0 = Data.IfEval[0];
        Assert.Equal(("m", "none", "snapkv", "none", 0.0), (r0.Model, r0.DefenseOrder, r0.Press, r0.Remedy, r0.Ratio));
        Assert.Equal((2, 3), (r0.Prompts, r0.Instructions));
        Assert.Equal((1.0, 1.0, 1.0, 1.0), (r0.PromptStrict, r0.PromptLoose, r0.InstructionStrict, r0.InstructionLoose));
        var r5 = Data.IfEval[1];
        Assert.Equal(0.5, r5.Ratio);
        Assert.Equal(0.0, r5.PromptStrict, Tol);        // P1 FT, P2 F: no prompt fully followed
        Assert.Equal(0.5, r5.PromptLoose, Tol);         // P1 TT, P2 F: 1 of 2
        Assert.Equal(1.0 / 3, r5.InstructionStrict, Tol); // F T F: 1 of 3
        Assert.Equal(2.0 / 3, r5.InstructionLoose, Tol);  // T T F: 2 of 3
    }

    [Fact]
    public void IfEval_per_family_and_instruction()
    {
        // Ratio 0.5: family a = [P1 a:x strict F loose T, P2 a:x strict F loose F]; family b = [P1 b:y T/T].
        var a = Data.IfEvalByFamily.Single(r => r.Ratio == 0.5 && r.Instruction == "a");
        Assert.Equal(2, a.Instructions);
        Assert.Equal(0.0, a.Strict, Tol);
        Assert.Equal(0.5, a.Loose, Tol);
        var b = Data.IfEvalByFamily.Single(r => r.Ratio == 0.5 && r.Instruction == "b");
        Assert.Equal((1, 1.0, 1.0), (b.Instructions, b.Strict, b.Loose));
        Assert.Equal(4, Data.IfEvalByFamily.Count);
        Assert.Equal(["a:x", "b:y", "a:x", "b:y"], Data.IfEvalByInstruction.Select(r => r.Instruction));
        Assert.Equal([1.0, 1.0, 0.0, 1.0], Data.IfEvalByInstruction.Select(r => r.Strict));
    }

    [Fact]
    public void Instructions_ignored_first_are_ranked_by_half_accuracy_ratio()
    {
        var rows = Data.InstructionDegradation;
        Assert.Equal(2, rows.Count);
        // a:x: 1.0 at ratio 0 (2 instructions), 0.0 at 0.5 < 1.0 / 2 -> collapses at 0.5, rank 1.
        Assert.Equal((1, "a:x", 2, 1.0, (double?)0.5, (double?)0.0, 0.5, 0.0),
            (rows[0].Rank, rows[0].Instruction, rows[0].BaselineInstructions, rows[0].BaselineStrict, rows[0].HalfRatio, rows[0].StrictAtHalfRatio, rows[0].MaxRatio, rows[0].StrictAtMaxRatio));
        // b:y: stays at 1.0 -> never halves, rank 2.
        Assert.Equal((2, "b:y", 1, 1.0, (double?)null, 1.0), (rows[1].Rank, rows[1].Instruction, rows[1].BaselineInstructions, rows[1].BaselineStrict, rows[1].HalfRatio, rows[1].StrictAtMaxRatio));
    }

    [Fact]
    public void Eviction_bias_is_averaged_over_contexts()
    {
        var rows = Data.EvictionBias;
        Assert.Equal(3, rows.Count);
        var plain = rows.Single(r => r.Press == "knorm" && r.Remedy == "none");
        Assert.Equal(2, plain.Contexts); // 4 trials, 2 contexts (A, B): each context counted once
        Assert.Equal((0.2 + 0.4) / 2 /* 0.3 */, plain.DefenseKeep!.Value, Tol);
        Assert.Equal((0.6 + 0.5) / 2 /* 0.55 */, plain.SystemKeep!.Value, Tol);
        Assert.Equal(0.3 - 0.55, plain.Gap!.Value, Tol);
        Assert.Null(plain.PrefixKeep);
        var white = rows.Single(r => r.Press == "knorm" && r.Remedy == "whitelist");
        Assert.Equal(1.0, white.DefenseKeep!.Value, Tol);
        Assert.Equal((0.3 + 0.4) / 2 /* 0.35 */, white.SystemKeep!.Value, Tol);
        Assert.Equal(1.0 - 0.35, white.Gap!.Value, Tol);
        var ifeval = rows.Single(r => r.Press == "snapkv");
        Assert.Equal((2, (double?)null, (double?)null), (ifeval.Contexts, ifeval.DefenseKeep, ifeval.Gap));
    }

    [Fact]
    public void A_context_compressed_at_several_ratios_counts_once_per_ratio()
    {
        // The grid prefills a context once and compresses it at every ratio: its trials share the context id.
        var rows = new[] { 0.3, 0.6 }.SelectMany(ratio => new[] { "turn-a", "turn-b" }.Select(turn =>
            Fixture.Trial($"t-{ratio}-{turn}", "ctx-shared", "leakage", "item", "defense_first", "knorm", "none", ratio) with
            {
                SpanKeep = new Dictionary<string, double> { ["defense"] = 1 - ratio, ["system"] = 0.5 },
            })).ToList();
        var bias = KvGrid.Reports.Analysis.EvictionAnalysis.Bias(rows);
        Assert.Equal([0.3, 0.6], bias.Select(r => r.Ratio));
        Assert.All(bias, r => Assert.Equal(1, r.Contexts));
        Assert.Equal([0.7, 0.4], bias.Select(r => r.DefenseKeep!.Value));
    }

    [Fact]
    public void Instruction_keep_maps_spans_to_ifeval_ids()
    {
        var rows = Data.InstructionKeep;
        Assert.Equal(2, rows.Count);
        Assert.Equal(("a:x", 2), (rows[0].Instruction, rows[0].Contexts));
        Assert.Equal((0.2 + 0.4) / 2 /* P1 instr:0, P2 instr:0 */, rows[0].MeanKeep, Tol);
        Assert.Equal(("b:y", 1, 0.8), (rows[1].Instruction, rows[1].Contexts, rows[1].MeanKeep));
    }

    [Fact]
    public void Remedy_deltas_pair_items_and_bootstrap_them()
    {
        var rows = Data.RemedyDeltas;
        Assert.Equal(2, rows.Count); // whitelist at 0 and 0.5, defense success only (no IFEval remedy)
        var r0 = rows[0];
        Assert.Equal((0.0, RemedyAnalysis.DefenseSuccess, 2), (r0.Ratio, r0.Metric, r0.Items));
        Assert.Equal((1.0, 1.0, 0.0, 0.0, 0.0), (r0.Baseline, r0.Value, r0.Delta, r0.CiLow, r0.CiHigh));
        var r5 = rows[1];
        // Clusters: A whitelist 2/2 vs plain 0/2; B 1/2 vs 1/2. Delta = 3/4 - 1/4 = 0.5.
        Assert.Equal(0.25, r5.Baseline, Tol);
        Assert.Equal(0.75, r5.Value, Tol);
        Assert.Equal(0.5, r5.Delta, Tol);
        // Replicates are AA (delta 1), AB/BA (0.5) or BB (0), each of AA and BB with probability 1/4, far more
        // than the 2.5% tails, so the percentile CI is exactly [0, 1].
        Assert.Equal(0.0, r5.CiLow, Tol);
        Assert.Equal(1.0, r5.CiHigh, Tol);
    }

    [Fact]
    public void Throughput_sets_memory_saved_against_quality_lost()
    {
        var rows = Data.Throughput;
        Assert.Equal(["knorm/none/0", "knorm/none/0.5", "knorm/whitelist/0", "knorm/whitelist/0.5", "snapkv/none/0", "snapkv/none/0.5"],
            rows.Select(r => $"{r.Press}/{r.Remedy}/{r.Ratio}"));
        var plain = rows[1];
        Assert.Equal(4, plain.Trials);
        Assert.Equal(1 - 2000.0 / 4000 /* 0.5 */, plain.KvMemorySaved, Tol);
        Assert.Equal(40 / 0.4 /* 40 tokens in 4 x 100 ms */, plain.DecodeTokensPerSecond!.Value, Tol);
        Assert.Equal(0.25, plain.DefenseSuccess!.Value, Tol);
        Assert.Equal(1 - 0.25, plain.DefenseSuccessLost!.Value, Tol);
        Assert.Null(plain.IfEvalPromptStrict);
        Assert.Equal(0.0, rows[0].KvMemorySaved, Tol);
        Assert.Equal(1 - 0.75, rows[3].DefenseSuccessLost!.Value, Tol);
        Assert.Equal((0.0, 1.0), (rows[5].IfEvalPromptStrict!.Value, rows[5].IfEvalPromptStrictLost!.Value));
    }

    [Fact]
    public void Complete_fixture_has_no_missing_notes()
    {
        Assert.Empty(Data.Missing);
        Assert.Equal((16 + 4, 16 + 4, 0), (Data.Summary.Trials, Data.Summary.Ok, Data.Summary.Failed));
        Assert.Equal(4 + 2, Data.Coverage.Count); // leakage: 2 remedies x 2 ratios; IFEval: 2 ratios
    }
}
