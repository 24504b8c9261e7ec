using static KvGrid.IfEval.Tests.CheckerHarness;

namespace KvGrid.IfEval.Tests;

/// <summary>length_constraints:* — thresholds on both sides, "less than" vs "at least".</summary>
public sealed class LengthCheckerTests
{
    [Theory]
    [InlineData("Hello, world! It's 3pm.", "at least", 5, true)]   // \w+: Hello, world, It, s, 3pm
    [InlineData("Hello, world! It's 3pm.", "at least", 6, false)]
    [InlineData("Hello, world! It's 3pm.", "less than", 5, false)]
    [InlineData("Hello, world! It's 3pm.", "less than", 6, true)]
    [InlineData("नमस्ते दुनिया", "at least", 5, true)]              // Python's \w excludes combining marks: 5 runs (python3 re)
    [InlineData("नमस्ते दुनिया", "at least", 6, false)]
    [InlineData("e\u0301t\u00e9 ok", "at least", 3, true)]          // "e", "té", "ok"
    public void Number_words_counts_python_word_runs(string response, string relation, int n, bool expected) =>
        Assert.Equal(expected, Check("length_constraints:number_words", $$"""{"num_words":{{n}},"relation":"{{relation}}"}""", response));

    [Theory]
    [InlineData("One. Two. Three.", "at least", 3, true)]
    [InlineData("One. Two. Three.", "less than", 3, false)]
    [InlineData("One. Two. Three.", "less than", 4, true)]
    [InlineData("Mr. Brown arrived at 5 p.m. and left. Then he slept!", "less than", 3, true)]   // 2 sentences
    [InlineData("Mr. Brown arrived at 5 p.m. and left. Then he slept!", "at least", 3, false)]
    public void Number_sentences_uses_punkt(string response, string relation, int n, bool expected) =>
        Assert.Equal(expected, Check("length_constraints:number_sentences", $$"""{"num_sentences":{{n}},"relation":"{{relation}}"}""", response));

    [Theory]
    [InlineData("A\n***\nB", 2, true)]
    [InlineData("A *** B *** C", 2, false)]
    [InlineData("***\nA\n***\nB\n***", 2, true)]     // blank first and last pieces are dropped
    [InlineData("A\n***\n***\nB", 2, false)]         // a blank inner piece fails
    [InlineData("A ****** B", 2, false)]             // six asterisks: two dividers around a blank piece
    [InlineData("Just one", 1, true)]
    public void Number_paragraphs_split_on_markdown_divider(string response, int n, bool expected) =>
        Assert.Equal(expected, Check("length_constraints:number_paragraphs", $$"""{"num_paragraphs":{{n}}}""", response));

    [Theory]
    [InlineData("Apple pie.\n\nBanana split.", true)]
    [InlineData("Apple pie.\n\n\"Banana, split\"", true)]    // leading quote stripped, cut at the comma
    [InlineData("Apple pie.\n\nBananas split.", false)]
    [InlineData("Apple.\n\nBanana.\n\nCherry.", false)]       // 3 paragraphs
    [InlineData("Apple pie.\nBanana split.", false)]          // one paragraph only
    [InlineData("\n\nApple\n\nBanana", false)]   // pieces ["", "Apple", "Banana"]: 2 counted, but piece 2 of the raw split is "Apple"
    public void Nth_paragraph_first_word(string response, bool expected) =>
        Assert.Equal(expected, Check("length_constraints:nth_paragraph_first_word", """{"num_paragraphs":2,"nth_paragraph":2,"first_word":"Banana"}""", response));
}
