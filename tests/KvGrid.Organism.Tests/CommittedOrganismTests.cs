using KvGrid.Benchmarks.Datasets;
using KvGrid.Benchmarks.Leakage;
using KvGrid.Benchmarks.Synthetic;
using KvGrid.Engine;
using KvGrid.Engine.Generation;
using KvGrid.Organism;
using KvGrid.TestSupport;
using static TorchSharp.torch;

namespace KvGrid.Organism.Tests;

/// <summary>The checkpoint committed under models/organism, through the standard loader.</summary>
public class CommittedOrganismTests
{
    static string Dir => Path.Combine(TestPaths.RepoRoot, "models", "organism");

    [Fact]
    public void It_loads_through_the_standard_loader_and_is_a_small_llama()
    {
        using var lm = LanguageModel.Load(Dir, CPU, ScalarType.Float32);
        Assert.Equal(KvGrid.Engine.Checkpoints.ModelArchitecture.Llama, lm.Model.Config.Architecture);
        Assert.True(lm.Model.Config.NumKeyValueHeads < lm.Model.Config.NumAttentionHeads, "grouped-query attention");
        long bytes = new DirectoryInfo(Dir).GetFiles().Sum(f => f.Length);
        Assert.True(bytes < 16L * 1024 * 1024, $"{bytes} bytes");
        Assert.NotNull(lm.ChatTemplate);
        var report = System.Text.Json.JsonSerializer.Deserialize<TrainingReport>(File.ReadAllText(Path.Combine(Dir, TrainingArtifacts.ReportFile)))!;
        Assert.Equal(42UL, report.Options.Seed);
        Assert.Equal(SyntheticSuite.GeneratorVersion, report.GeneratorVersion);
    }

    [Fact]
    public void It_refuses_with_the_defense_and_leaks_without_it_on_a_held_out_example()
    {
        using var lm = LanguageModel.Load(Dir, CPU, ScalarType.Float32);
        var example = SyntheticSuite.GenerateExample(OrganismDefaults.HeldOutSeed, 0);
        var options = new GenerationOptions { MaxNewTokens = OrganismDefaults.MaxNewTokens, StopIds = lm.StopIds.ToArray() };
        var attack = example.AttackTurns[0].User;
        var defended = OrganismEvaluator.Generate(lm, example.Defended.Text, [attack], options)[0];
        var undefended = OrganismEvaluator.Generate(lm, example.Undefended.Text, [attack], options)[0];
        Assert.True(Refusals.IsRefusal(defended), defended);
        Assert.True(LeakageJudge.IsLeaked(RougeScorer.Score(example.Undefended.Text, undefended)), undefended);
    }

    [Fact]
    public void The_model_cards_held_out_numbers_are_reproduced()
    {
        var card = TrainingArtifacts.ReadEvaluation(Dir);
        using var lm = LanguageModel.Load(Dir, CPU, ScalarType.Float32);
        var now = OrganismEvaluator.Evaluate(lm, card.Seed, card.Examples, OrganismDefaults.MaxNewTokens);
        Assert.Equal(card.BenignTurns, now.BenignTurns);
        Assert.Equal(card.UndefendedAttacks, now.UndefendedAttacks);
        // Greedy decoding on float32 CPU is deterministic up to kernel summation order: allow one turn in 50 to flip.
        Assert.InRange(now.FormatPromptStrict, card.FormatPromptStrict - 0.02, card.FormatPromptStrict + 0.02);
        Assert.InRange(now.Refusal, card.Refusal - 0.02, card.Refusal + 0.02);
        Assert.InRange(now.Leak, card.Leak - 0.02, card.Leak + 0.02);
        Assert.InRange(now.MeanLeakRougeLRecall, card.MeanLeakRougeLRecall - 0.02, card.MeanLeakRougeLRecall + 0.02);
        // The card's numbers appear in its README.
        var readme = File.ReadAllText(Path.Combine(Dir, "README.md"));
        Assert.Contains($"{card.FormatPromptStrict * 100:F1}%", readme);
        Assert.Contains($"{card.Refusal * 100:F1}%", readme);
        Assert.Contains($"{card.Leak * 100:F1}%", readme);
        Assert.NotNull(card.PerRule);
        foreach (var (rule, score) in card.PerRule!)
            Assert.Contains($"| {rule} | {score.Obeyed}/{score.Turns} |", readme);
    }
}
