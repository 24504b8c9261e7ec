using KvGrid.IfEval.Evaluation;
using static KvGrid.IfEval.Tests.CheckerHarness;

namespace KvGrid.IfEval.Tests;

/// <summary>Strict and loose evaluation as evaluate.py defines them.</summary>
public sealed class EvaluatorTests
{
    [Fact]
    public void Loose_variants_are_the_reference_eight_in_order()
    {
        var v = IfEvalEvaluator.LooseVariants("*a*\n b \nc*");
        Assert.Equal(["*a*\n b \nc*", "a\n b \nc", "b \nc*", "*a*\n b", "b", "b \nc", "*a*\n b".Replace("*", ""), "b"], v);
    }

    [Fact]
    public void Single_line_response_has_blank_trimmed_variants()
    {
        var v = IfEvalEvaluator.LooseVariants("only");
        Assert.Equal(["only", "only", "", "", "", "", "", ""], v);
    }

    [Fact]
    public void Loose_accepts_response_without_first_line()
    {
        const string response = "Sure, here it is:\n\"quoted answer\"";
        Assert.False(Strict("startend:quotation", "{}", response));
        Assert.True(Loose("startend:quotation", "{}", response));
    }

    [Fact]
    public void Loose_accepts_response_without_asterisks()
    {
        const string response = "Thanks. **Peace!**";
        Assert.False(Strict("startend:end_checker", """{"end_phrase":"Peace!"}""", response));
        Assert.True(Loose("startend:end_checker", """{"end_phrase":"Peace!"}""", response));
    }

    [Fact]
    public void Blank_response_fails_strict_and_loose_even_for_no_comma()
    {
        Assert.False(Strict("punctuation:no_comma", "{}", " \n\t "));
        Assert.False(Loose("punctuation:no_comma", "{}", " \n\t "));
        Assert.False(Strict("punctuation:no_comma", "{}", "\u001F"));   // U+001F is whitespace for Python's strip()
        Assert.True(Strict("punctuation:no_comma", "{}", "\u200B"));    // U+200B is not
    }

    [Fact]
    public void Loose_skips_blank_variants()
    {
        // Only the first line has text; removing it leaves blank variants, which never count.
        Assert.False(Loose("length_constraints:number_words", """{"num_words":5,"relation":"less than"}""", "one two three four five six\n"));
        Assert.True(Loose("length_constraints:number_words", """{"num_words":5,"relation":"less than"}""", "one two three four five six\nseven"));
    }

    [Fact]
    public void Aggregates_count_prompts_instructions_families_and_ids()
    {
        var agg = new IfEvalAggregator();
        agg.Add(new PromptVerdict(["punctuation:no_comma", "keywords:existence"], [true, false], [true, true]));
        agg.Add(new PromptVerdict(["keywords:frequency"], [true], [true]));
        var a = agg.Build();
        Assert.Equal(2, a.Prompts);
        Assert.Equal(new AccuracyCount(1, 2), a.PromptLevel.Strict);
        Assert.Equal(new AccuracyCount(2, 2), a.PromptLevel.Loose);
        Assert.Equal(new AccuracyCount(2, 3), a.InstructionLevel.Strict);
        Assert.Equal(new AccuracyCount(3, 3), a.InstructionLevel.Loose);
        Assert.Equal(new AccuracyCount(1, 2), a.ByFamily["keywords"].Strict);
        Assert.Equal(new AccuracyCount(1, 1), a.ByFamily["punctuation"].Strict);
        Assert.Equal(new AccuracyCount(0, 1), a.ByInstructionId["keywords:existence"].Strict);
        Assert.Equal(0.5, a.PromptLevel.Strict.Accuracy);
    }
}
