using KvGrid.Sweeps.Expansion;

namespace KvGrid.Sweeps.Tests;

public sealed class InstructionSplitterTests
{
    private static IEnumerable<string> Sentences(string text) => InstructionSplitter.Split(text).Select(s => text.Substring(s.Start, s.Length));

    [Fact]
    public void SplitsAtSentenceEnds()
    {
        Assert.Equal(["Answer in French.", "Do not use commas!", "Is that clear?"], Sentences("Answer in French. Do not use commas! Is that clear?"));
    }

    [Fact]
    public void KnownAbbreviationsDoNotSplit()
    {
        // "mr" and "p.m" are abbreviations of NLTK's English model; "Smith" (a name) gives no sign of a new sentence.
        const string text = "Write a letter to Mr. Smith about the 5 p.m. meeting.";
        Assert.Equal([text], Sentences(text));
    }

    [Fact]
    public void UnknownAbbreviationSplitsAsPunktDoes()
    {
        // "i.e" is not among the model's abbreviation types, so its period ends a sentence (NLTK's first pass).
        Assert.Equal(["Give both options a title, i.e.", "<<title>>."], Sentences("Give both options a title, i.e. <<title>>."));
    }

    [Fact]
    public void SpansExcludeSurroundingWhitespace()
    {
        const string text = "  First rule.\n\nSecond rule.  ";
        Assert.Equal([(2, 11), (15, 12)], InstructionSplitter.Split(text));
    }

    [Fact]
    public void TextWithoutSentenceEndIsOneSpan()
    {
        Assert.Equal(["wrap your answer in JSON"], Sentences("wrap your answer in JSON"));
        Assert.Empty(InstructionSplitter.Split("   "));
    }

    [Fact]
    public void FairInstructionsNeedsTwoSpans()
    {
        using var f = new SpecFixture();
        // Without the prefix and the defense, a one-sentence prompt has a single span: nothing to balance.
        var single = System.Text.Json.JsonDocument.Parse(File.ReadLines(SpecFixture.Items).First(l =>
        {
            var content = System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("messages")[0].GetProperty("content").GetString()!;
            return InstructionSplitter.Split(content).Count == 1;
        })).RootElement.GetProperty("key").GetInt64();
        var x = f.Expand(f.SysIfEval(systemPrompts: $"system_prompts: {{ keys: [{single}], prefix: false }}", defenses: "defenses: [none, standard_defense]",
            remedies: "remedies: [fair_instructions]"));
        var context = Assert.Single(x.Contexts);
        Assert.Equal("standard_defense", context.Defense);
        Assert.Equal("fewer than two instruction spans to balance", Assert.Single(x.Skipped).Reason);
    }
}
