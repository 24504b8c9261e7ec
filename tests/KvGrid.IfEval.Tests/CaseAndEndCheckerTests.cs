using static KvGrid.IfEval.Tests.CheckerHarness;

namespace KvGrid.IfEval.Tests;

/// <summary>change_case:*, language:*, startend:*, combination:*, punctuation:* — verdicts reasoned from the reference.</summary>
public sealed class CaseAndEndCheckerTests
{
    [Theory]
    [InlineData("HELLO WORLD and USA", "at least", 3, true)]
    [InlineData("HELLO WORLD and usa", "at least", 3, false)]
    [InlineData("HELLO WORLD and usa", "less than", 3, true)]
    [InlineData("HELLO WORLD and USA", "less than", 3, false)]
    [InlineData("I DON'T know", "at least", 3, true)]    // word_tokenize: I, DO, N'T, know
    [InlineData("I DON'T know", "at least", 4, false)]
    public void Capital_word_frequency_counts_isupper_tokens(string response, string relation, int n, bool expected) =>
        Assert.Equal(expected, Check("change_case:capital_word_frequency", $$"""{"capital_frequency":{{n}},"capital_relation":"{{relation}}"}""", response));

    [Theory]
    [InlineData("THIS IS AN ENGLISH SENTENCE WRITTEN ENTIRELY IN CAPITAL LETTERS FOR THE TEST.", true)]
    [InlineData("This is an English sentence written mostly in capital letters for the test.", false)]
    [InlineData("ЭТО ПРЕДЛОЖЕНИЕ НАПИСАНО НА РУССКОМ ЯЗЫКЕ ЗАГЛАВНЫМИ БУКВАМИ.", false)]   // upper-case but not English
    [InlineData("123 456 !!!", false)]                                                     // no cased character: isupper() is false
    public void English_capital(string response, bool expected) =>
        Assert.Equal(expected, Check("change_case:english_capital", "{}", response));

    [Theory]
    [InlineData("this is an english sentence written entirely in lowercase letters for the test.", true)]
    [InlineData("this is an English sentence with one capital letter in it for the test.", false)]
    [InlineData("dies ist ein deutscher satz, der nur aus kleinbuchstaben besteht und keine großen hat.", false)]
    public void English_lowercase(string response, bool expected) =>
        Assert.Equal(expected, Check("change_case:english_lowercase", "{}", response));

    [Theory]
    [InlineData("Россия — самая большая страна в мире. Москва является её столицей.", "ru", true)]
    [InlineData("Russia is the largest country in the world. Moscow is its capital.", "ru", false)]
    [InlineData("भारत एक विशाल देश है। यहाँ कई भाषाएँ बोली जाती हैं।", "hi", true)]
    [InlineData("12345 67890 !!!", "ru", true)]   // no features: langdetect raises and the reference counts it as followed
    public void Response_language(string response, string language, bool expected) =>
        Assert.Equal(expected, Check("language:response_language", $$"""{"language":"{{language}}"}""", response));

    [Theory]
    [InlineData("Bye now. Peace!", true)]
    [InlineData("\"Bye now. peace!\"  ", true)]   // stripped, quotes stripped, lowercased
    [InlineData("Peace! Bye", false)]
    public void End_checker(string response, bool expected) =>
        Assert.Equal(expected, Check("startend:end_checker", """{"end_phrase":" Peace! "}""", response));

    [Theory]
    [InlineData("\"hi\"", true)]
    [InlineData("  \"hi there\" \n", true)]
    [InlineData("\"", false)]      // length must exceed 1
    [InlineData("'hi'", false)]
    [InlineData("\"hi", false)]
    public void Quotation(string response, bool expected) =>
        Assert.Equal(expected, Check("startend:quotation", "{}", response));

    [Theory]
    [InlineData("write a poem. Here it is.", true)]
    [InlineData("  WRITE A POEM.\nRoses...", true)]
    [InlineData("Sure! Write a poem.", false)]
    public void Repeat_prompt(string response, bool expected) =>
        Assert.Equal(expected, Check("combination:repeat_prompt", """{"prompt_to_repeat":"Write a poem. "}""", response));

    [Theory]
    [InlineData("A\n******\nB", true)]
    [InlineData("A\n******\nA", false)]                         // must differ
    [InlineData("A\n******\n\n******\nB", false)]               // blank inner piece
    [InlineData("******\nA\n******\nB\n******", true)]          // blank first/last allowed
    [InlineData("A\n******\nB\n******\nC", false)]
    public void Two_responses(string response, bool expected) =>
        Assert.Equal(expected, Check("combination:two_responses", "{}", response));

    [Theory]
    [InlineData("a b c", true)]
    [InlineData("a, b", false)]
    [InlineData("a，b", true)]   // fullwidth comma is not ","
    public void No_comma(string response, bool expected) =>
        Assert.Equal(expected, Check("punctuation:no_comma", "{}", response));
}
