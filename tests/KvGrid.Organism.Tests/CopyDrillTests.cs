using KvGrid.Benchmarks.Synthetic;
using KvGrid.Engine.Tokenization;
using KvGrid.TestSupport;

namespace KvGrid.Organism.Tests;

public class CopyDrillTests
{
    [Fact]
    public void Drills_are_seeded_leaks_of_random_pieces_that_tokenize_into_exactly_those_pieces()
    {
        using var dir = new TempDir();
        var vocabulary = OrganismTokenizer.BuildVocabulary(OrganismCorpus.Texts(42, 200));
        OrganismTokenizer.Write(dir.Path, vocabulary);
        using var tokenizer = HfTokenizer.Load(dir.Path);
        var encoder = new ConversationEncoder(tokenizer, ChatTemplate.Load(dir.Path)!);
        var drills = new CopyDrills(vocabulary);
        var lengths = new List<int>();
        for (int i = 0; i < 40; i++)
        {
            var example = SyntheticSuite.GenerateExample(42, i);
            var batch = drills.For(42, example, 3).ToList();
            Assert.Equal(batch, drills.For(42, example, 3).ToList());
            Assert.Equal(3, batch.Count);
            foreach (var drill in batch)
            {
                Assert.Equal(TurnKind.Drill, drill.Kind);
                Assert.Equal(drill.System, drill.Assistant);
                Assert.Contains(drill.User, example.AttackTurns.Select(a => a.User));
                var ids = tokenizer.Encode(drill.System, addSpecialTokens: false);
                Assert.DoesNotContain(OrganismTokenizer.UnknownId, ids);
                Assert.Equal(drill.System, tokenizer.Decode(ids));
                Assert.InRange(ids.Length, CopyDrills.MinPieces, CopyDrills.MaxPieces);
                lengths.Add(ids.Length);
                encoder.Encode(drill); // renders through the chat template as a prefix-consistent conversation
            }
        }
        Assert.True(lengths.Distinct().Count() > 10, "drill lengths vary");
        Assert.NotEqual(drills.For(42, SyntheticSuite.GenerateExample(42, 0), 1).Single().System,
            drills.For(43, SyntheticSuite.GenerateExample(42, 0), 1).Single().System);
    }
}
