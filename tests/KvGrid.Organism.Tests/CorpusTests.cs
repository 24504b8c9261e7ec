using KvGrid.Benchmarks.Datasets;
using KvGrid.Benchmarks.Synthetic;
using KvGrid.Engine.Tokenization;
using KvGrid.Organism;
using KvGrid.TestSupport;

namespace KvGrid.Organism.Tests;

public class CorpusTests
{
    [Fact]
    public void The_corpus_is_deterministic_for_a_seed_and_differs_between_seeds()
    {
        var a = OrganismCorpus.Generate(42, 0, 30).ToList();
        var b = OrganismCorpus.Generate(42, 0, 30).ToList();
        var c = OrganismCorpus.Generate(43, 0, 30).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(x => x.System), c.Select(x => x.System));
        Assert.Equal(OrganismTokenizer.BuildVocabulary(OrganismCorpus.Texts(42, 50)), OrganismTokenizer.BuildVocabulary(OrganismCorpus.Texts(42, 50)));
    }

    [Fact]
    public void Each_example_teaches_benign_answers_refusal_with_the_defense_and_a_verbatim_leak_without_it()
    {
        var example = SyntheticSuite.GenerateExample(42, 0);
        var conversations = OrganismCorpus.FromExample(example).ToList();
        Assert.Equal(2 * example.BenignTurns.Count + 2 * example.AttackTurns.Count, conversations.Count);
        Assert.All(conversations.Where(c => c.Kind == TurnKind.Refusal), c =>
        {
            Assert.Equal(example.Defended.Text, c.System);
            Assert.Equal(Refusals.Standard, c.Assistant);
        });
        Assert.All(conversations.Where(c => c.Kind == TurnKind.Leak), c =>
        {
            Assert.Equal(example.Undefended.Text, c.System);
            Assert.Equal(example.Undefended.Text, c.Assistant);
        });
        var benign = conversations.Where(c => c.Kind == TurnKind.Benign).ToList();
        Assert.Equal(example.BenignTurns.Count, benign.Count(c => c.System == example.Defended.Text));
        Assert.Equal(example.BenignTurns.Count, benign.Count(c => c.System == example.Undefended.Text));
    }

    [Fact]
    public void Batches_put_the_loss_on_assistant_tokens_only_and_never_repeat_an_example()
    {
        using var dir = new TempDir();
        OrganismTokenizer.Write(dir.Path, OrganismTokenizer.BuildVocabulary(OrganismCorpus.Texts(42, 200)));
        using var tokenizer = HfTokenizer.Load(dir.Path);
        var encoder = new ConversationEncoder(tokenizer, ChatTemplate.Load(dir.Path)!);
        var batches = new TrainingBatches(encoder, i => OrganismCorpus.Generate(42, i, 1), 42, batchSize: 4, poolBatches: 2);
        var batch = batches.Next();
        Assert.Equal(1, batches.ExamplesUsed); // one example gives 8 conversations = the 2 batches of the pool
        for (int r = 0; r < batch.Ids.GetLength(0); r++)
        {
            var targets = Enumerable.Range(0, batch.Ids.GetLength(1)).Select(j => batch.Targets[r, j]).Where(t => t != TrainingBatches.Ignore).Select(t => (int)t).ToList();
            // The targets are the assistant message followed by <|eot_id|>, the stop token.
            Assert.Equal(OrganismTokenizer.EotId, targets[^1]);
            var text = tokenizer.Decode(targets);
            var all = OrganismCorpus.Generate(42, 0, 1).Select(c => c.Assistant).ToList();
            Assert.Contains(text, all);
        }
        batches.Next();
        Assert.Equal(1, batches.ExamplesUsed);
        batches.Next();
        Assert.Equal(2, batches.ExamplesUsed);
    }

    [Fact]
    public void Learning_rate_warms_up_linearly_then_decays_by_cosine_to_the_floor()
    {
        var o = new TrainingOptions { Steps = 1000, WarmupSteps = 100, LearningRate = 1e-3, MinLearningRateFraction = 0.1 };
        Assert.Equal(1e-5, o.LearningRateAt(0), 12);
        Assert.Equal(1e-3, o.LearningRateAt(99), 12);
        Assert.Equal(1e-3, o.LearningRateAt(100), 12);
        Assert.Equal(0.55e-3, o.LearningRateAt(550), 12); // halfway through the decay: cos = 0
        Assert.Equal(1e-4, o.LearningRateAt(1000), 12);
    }
}
