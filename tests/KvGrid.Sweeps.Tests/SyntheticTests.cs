using KvGrid.Benchmarks.Synthetic;
using KvGrid.Contracts;

namespace KvGrid.Sweeps.Tests;

/// <summary>The synthetic benchmark: the generator's prompts with their own defense sentence, its instruction spans and turns.</summary>
public sealed class SyntheticTests(SpecFixture f) : IClassFixture<SpecFixture>
{
    [Fact]
    public void ExamplesDefensesAndTurns()
    {
        var x = f.Expand(f.Synthetic(remedies: "remedies: [none, whitelist]"));
        var examples = SyntheticSuite.Generate(7, 3);
        // 3 examples x 2 defenses x 2 remedies, minus whitelist without a defense (3).
        Assert.Equal(12 - 3, x.Contexts.Count);
        Assert.Equal(9L * 2 * 4, x.TrialCount);
        var skipped = Assert.Single(x.Skipped);
        Assert.Equal(("whitelist", "none", 3), (skipped.Remedy, skipped.Defense, skipped.Contexts));
        Assert.Equal(["seed7/0", "seed7/1", "seed7/2"], x.Axes.Single(a => a.Axis == "examples").Values);

        foreach (var c in x.Contexts)
        {
            var example = examples[int.Parse(c.ItemId.Split('/')[1])];
            var defended = c.Defense == "synthetic";
            Assert.Equal(defended ? example.Defended.Text : example.Undefended.Text, c.SystemMessage);
            Assert.Equal(example.Undefended.Text, c.LeakReference);
            Assert.Equal(["benign0", "benign1", "attack0", "attack1"], c.Turns.Select(t => t.TurnId));
            Assert.Equal([ScoringKind.IfEval, ScoringKind.IfEval, ScoringKind.Leakage, ScoringKind.Leakage], c.Turns.Select(t => t.Scoring));
            Assert.Equal(example.BenignTurns[0].User, c.Turns[0].Text);
            Assert.Equal(example.AttackTurns[1].User, c.Turns[3].Text);
            Assert.Equal(example.Undefended.InstructionIdList, c.IfEval!.InstructionIds);

            var instructionSpans = c.Spans.Where(s => s.Label.StartsWith("instr:", StringComparison.Ordinal)).ToList();
            var sentences = (defended ? example.Defended : example.Undefended).Instructions
                .Where(p => p.Instruction.Kind != SyntheticInstructionKind.Defense).Select(p => p.Instruction.Sentence).ToList();
            Assert.Equal(sentences, instructionSpans.Select(s => c.SystemMessage.Substring(s.Start, s.Length)));

            if (defended)
            {
                var defense = Assert.Single(c.Spans, s => s.Label == "defense");
                var sentence = example.Defended.Instructions.Single(p => p.Instruction.Kind == SyntheticInstructionKind.Defense).Instruction.Sentence;
                Assert.Equal(sentence, c.SystemMessage.Substring(defense.Start, defense.Length));
                var expectedOrder = example.Placement switch
                {
                    DefensePlacement.First => "defense_first",
                    DefensePlacement.Last => "defense_last",
                    _ => "defense_middle",
                };
                Assert.Equal(expectedOrder, c.DefenseOrder);
                // defense and system pieces tile the message
                var pieces = c.Spans.Where(s => s.Label is "defense" or "system").OrderBy(s => s.Start).ToList();
                Assert.Equal(0, pieces[0].Start);
                Assert.Equal(c.SystemMessage.Length, pieces[^1].End);
                Assert.All(pieces.Zip(pieces.Skip(1)), p => Assert.Equal(p.First.End, p.Second.Start));
            }
            else
            {
                Assert.DoesNotContain(c.Spans, s => s.Label == "defense");
                Assert.Equal("none", c.DefenseOrder);
            }
        }
    }

    [Fact]
    public void SeedChangesTheExamplesAndTheIds()
    {
        var a = f.Expand(f.Synthetic());
        var b = f.Expand(f.Synthetic(synthetic: "synthetic: { seed: 8, count: 3 }"));
        Assert.NotEqual(a.Contexts[0].SystemMessage, b.Contexts[0].SystemMessage);
        Assert.Empty(a.Contexts.Select(c => c.ContextId).Intersect(b.Contexts.Select(c => c.ContextId)));
    }

    [Fact]
    public void FairInstructionsAppliesWithoutADefense()
    {
        var x = f.Expand(f.Synthetic(defenses: "defenses: [none]", remedies: "remedies: [fair_instructions, fair]"));
        Assert.All(x.Contexts, c => Assert.Equal("fair_instructions", c.Remedy.Name));
        Assert.Equal(3, x.Contexts.Count);
        Assert.Equal(3, Assert.Single(x.Skipped).Contexts);
    }
}
