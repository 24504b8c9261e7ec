using KvGrid.IfEval.Nlp;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Tests;

/// <summary>
/// Punkt and Treebank ports. Expected outputs were produced by NLTK 3.8's own PunktSentenceTokenizer
/// (given the parameters KvGrid embeds) and NLTKWordTokenizer, run with Debian's python3-nltk.
/// "What" (after the ellipsis) and "army" (after "U.S.") were seen capitalised mid-sentence by the real
/// model, "smith" never lowercase: none of them starts a sentence there.
/// </summary>
public sealed class TokenizerTests
{
    [Theory]
    [InlineData("Hello world. This is a test.", new[] { "Hello world.", "This is a test." })]
    [InlineData("Mr. Brown arrived at 5 p.m. and left. Then he slept!", new[] { "Mr. Brown arrived at 5 p.m. and left.", "Then he slept!" })]
    [InlineData("Dr. Smith went home. He slept.", new[] { "Dr. Smith went home.", "He slept." })]
    [InlineData("(This is in parentheses.) This is not.", new[] { "(This is in parentheses.)", "This is not." })]
    [InlineData("He said \"Stop.\" She agreed.", new[] { "He said \"Stop.\"", "She agreed." })]
    [InlineData("Wait... What happened?! Nothing.", new[] { "Wait... What happened?!", "Nothing." })]
    [InlineData("The U.S. Army is large. It has many soldiers.", new[] { "The U.S. Army is large.", "It has many soldiers." })]
    [InlineData("1. First item\n2. Second item\n3. Third item", new[] { "1.", "First item\n2.", "Second item\n3.", "Third item" })]
    [InlineData("I met J. Smith yesterday. He was kind.", new[] { "I met J. Smith yesterday.", "He was kind." })]
    [InlineData("Prices rose by 3.5 percent in 2023. Analysts were surprised.", new[] { "Prices rose by 3.5 percent in 2023.", "Analysts were surprised." })]
    [InlineData("No period at the end", new[] { "No period at the end" })]
    [InlineData("Is it? Yes! Definitely...", new[] { "Is it?", "Yes!", "Definitely..." })]
    [InlineData("Visit www.example.com today. It's great.", new[] { "Visit www.example.com today.", "It's great." })]
    [InlineData("The meeting is at 10 a.m. Please be on time.", new[] { "The meeting is at 10 a.m.", "Please be on time." })]
    public void Punkt_splits_like_nltk(string text, string[] expected) =>
        Assert.Equal(expected, PunktSentenceTokenizer.English.Tokenize(text));

    [Fact]
    public void Punkt_on_blank_text_has_no_sentence() => Assert.Empty(PunktSentenceTokenizer.English.Tokenize("   \n "));

    [Theory]
    [InlineData("I DON'T know, do you?", new[] { "I", "DO", "N'T", "know", ",", "do", "you", "?" })]
    [InlineData("\"Hello,\" she said... 'fine'.", new[] { "``", "Hello", ",", "''", "she", "said", "...", "'fine", "'", "." })]
    [InlineData("They can't go -- cannot!", new[] { "They", "ca", "n't", "go", "--", "can", "not", "!" })]
    [InlineData("Good muffins cost $3.88 (roughly 3,36 euros) in New York.", new[] { "Good", "muffins", "cost", "$", "3.88", "(", "roughly", "3,36", "euros", ")", "in", "New", "York", "." })]
    [InlineData("It's gonna be ***great***!", new[] { "It", "'s", "gon", "na", "be", "*", "*", "*", "great", "*", "*", "*", "!" })]
    [InlineData("U.S.A. is big.", new[] { "U.S.A.", "is", "big", "." })]
    public void Treebank_tokenizes_like_nltk(string sentence, string[] expected) =>
        Assert.Equal(expected, TreebankWordTokenizer.Tokenize(sentence));

    [Theory]
    [InlineData("ǅ", false)]    // titlecase letter
    [InlineData("Ⅻ", true)]     // Other_Uppercase
    [InlineData("ABC123", true)]
    [InlineData("123", false)]
    public void Isupper_follows_python(string s, bool expected) => Assert.Equal(expected, PyText.IsUpper(s));

    [Fact]
    public void Islower_counts_other_lowercase() => Assert.True(PyText.IsLower("ⓐ"));
}
