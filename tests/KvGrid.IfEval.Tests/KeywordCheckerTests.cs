using static KvGrid.IfEval.Tests.CheckerHarness;

namespace KvGrid.IfEval.Tests;

/// <summary>keywords:* — expected verdicts reasoned from the reference's check_following.</summary>
public sealed class KeywordCheckerTests
{
    [Theory]
    [InlineData("Cats and DOGS play.", true)]   // re.search, case-insensitive, substring (no word boundary)
    [InlineData("Only a cat here.", false)]
    [InlineData("", false)]
    public void Existence_needs_every_keyword(string response, bool expected) =>
        Assert.Equal(expected, Check("keywords:existence", """{"keywords":["cat","dog"]}""", response));

    [Theory]
    [InlineData("The theory of the thing", "at least", 3, true)]   // "The", "the"(ory), "the": 3 matches of the stripped keyword
    [InlineData("The theory", "at least", 2, true)]
    [InlineData("The theory", "at least", 3, false)]
    [InlineData("The theory", "less than", 2, false)]
    [InlineData("The theory", "less than", 3, true)]
    public void Frequency_counts_case_insensitive_substring_matches(string response, string relation, int frequency, bool expected) =>
        Assert.Equal(expected, Check("keywords:frequency", $$"""{"keyword":" the ","frequency":{{frequency}},"relation":"{{relation}}"}""", response));

    [Theory]
    [InlineData("They concatenate strings.", true)]   // \bcat\b does not match inside a word
    [InlineData("A CAT!", false)]
    [InlineData("cats are fine", true)]
    [InlineData("e\u0301cat", false)]   // U+0301 is not \w in Python, so there is a boundary before "cat" (.NET's \w would say otherwise)
    [InlineData("écat", true)]          // é is \w: no boundary
    public void Forbidden_words_use_python_word_boundaries(string response, bool expected) =>
        Assert.Equal(expected, Check("keywords:forbidden_words", """{"forbidden_words":["cat","cat"]}""", response));

    [Theory]
    [InlineData("Banana", "at least", 3, true)]
    [InlineData("Banana", "at least", 4, false)]
    [InlineData("BANANA", "less than", 3, false)]   // counted after lower()
    [InlineData("Banana", "less than", 4, true)]
    public void Letter_frequency_counts_the_lowercased_letter(string response, string relation, int frequency, bool expected) =>
        Assert.Equal(expected, Check("keywords:letter_frequency", $$"""{"letter":"A","let_frequency":{{frequency}},"let_relation":"{{relation}}"}""", response));

    [Fact]
    public void Letter_that_is_not_ascii_takes_the_verdict_most_letters_give()
    {
        // The reference draws a random letter for "!"; with "less than 2", 25 of 26 letters occur < 2 times in "Hi!!! zz".
        Assert.True(Check("keywords:letter_frequency", """{"letter":"!","let_frequency":2,"let_relation":"less than"}""", "Hi!!! zz"));
        // "at least 1": only h, i, z occur, so most letters fail.
        Assert.False(Check("keywords:letter_frequency", """{"letter":"#","let_frequency":1,"let_relation":"at least"}""", "Hi!!! zz"));
    }
}
