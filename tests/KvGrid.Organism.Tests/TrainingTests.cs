using KvGrid.Engine;
using KvGrid.Engine.Checkpoints;
using KvGrid.Organism;
using KvGrid.TestSupport;
using static TorchSharp.torch;

namespace KvGrid.Organism.Tests;

public class TrainingTests
{
    static readonly OrganismShape Small = new() { HiddenSize = 64, IntermediateSize = 128, NumLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2 };

    [Fact]
    public void A_short_run_from_the_seed_decreases_the_loss_and_writes_a_loadable_hf_folder()
    {
        using var dir = new TempDir();
        // No copy phase: random-piece drills sit near ln V until copying forms (thousands of steps), which would hide the
        // suite's fall; one drill per example still goes through the drill path.
        var options = new TrainingOptions
        {
            Steps = 40, BatchSize = 8, WarmupSteps = 5, LearningRate = 3e-3, VocabularyExamples = 300, Shape = Small,
            CopyPhaseSteps = 0, DrillsPerExample = 1,
        };
        var report = OrganismTrainer.Train(dir.Path, options);
        TrainingArtifacts.Write(dir.Path, report);

        // From a uniform start (ln V nats) the assistant-token loss must fall well below it within 40 steps.
        double first = report.Curve.Take(3).Average(p => p.Loss);
        double last = report.Curve.TakeLast(5).Average(p => p.Loss);
        Assert.InRange(first, Math.Log(report.VocabularySize) - 1, Math.Log(report.VocabularySize) + 1);
        Assert.True(last < first - 1.5, $"loss {first:F3} -> {last:F3}");

        using var lm = LanguageModel.Load(dir.Path, CPU, ScalarType.Float32);
        Assert.Equal(report.VocabularySize, lm.Model.Config.VocabSize);
        Assert.Equal(ModelArchitecture.Llama, lm.Model.Config.Architecture);
        Assert.Contains(OrganismTokenizer.EotId, lm.StopIds);
        foreach (var file in new[] { "config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "training.json", "loss.csv", "loss.png" })
            Assert.True(File.Exists(dir[file]), file);
        Assert.Equal(41, File.ReadAllLines(dir["loss.csv"]).Length);
    }

    [Fact]
    public void The_same_seed_starts_from_the_same_weights()
    {
        using var dir = new TempDir();
        Small.WriteConfig(dir.Path, 100);
        var config = ModelConfig.Load(dir.Path);
        using var a = OrganismTrainer.CreateModel(config, 42);
        using var b = OrganismTrainer.CreateModel(config, 42);
        using var c = OrganismTrainer.CreateModel(config, 43);
        var ta = a.HfTensors().ToList();
        var tb = b.HfTensors().ToList();
        var tc = c.HfTensors().ToList();
        Assert.All(ta.Zip(tb), p => Assert.True(p.First.Tensor.allclose(p.Second.Tensor, 0, 0)));
        Assert.Contains(ta.Zip(tc), p => !p.First.Tensor.allclose(p.Second.Tensor, 0, 0));
        // HF Llama init: norms are ones.
        Assert.True(ta.First(t => t.Name == "model.norm.weight").Tensor.eq(1).all().item<bool>());
    }

    [Theory]
    [InlineData(128, 3, 1)]   // hidden not divisible by heads
    [InlineData(128, 8, 3)]   // heads not divisible by kv heads
    [InlineData(120, 8, 4)]   // odd head dim (RoPE rotates pairs)
    [InlineData(0, 8, 4)]
    public void Impossible_shapes_are_refused_with_a_one_line_error(int hidden, int heads, int kvHeads)
    {
        var shape = new OrganismShape { HiddenSize = hidden, NumAttentionHeads = heads, NumKeyValueHeads = kvHeads };
        var error = Assert.Throws<KvGridException>(shape.Validate);
        Assert.DoesNotContain('\n', error.Message);
        new OrganismShape { NumAttentionHeads = 8, NumKeyValueHeads = 4 }.Validate();
    }
}
