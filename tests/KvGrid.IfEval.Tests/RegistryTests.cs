using KvGrid.IfEval.Checkers;
using static KvGrid.IfEval.Tests.CheckerHarness;

namespace KvGrid.IfEval.Tests;

/// <summary>Argument binding: what the reference would randomise or reject is refused with a one-line message.</summary>
public sealed class RegistryTests
{
    [Fact]
    public void Registry_has_the_reference_25_ids() => Assert.Equal(25, InstructionRegistry.InstructionIds.Count);

    [Theory]
    [InlineData("keywords:nonexistent", "{}", "unknown instruction id 'keywords:nonexistent'")]
    [InlineData("length_constraints:number_words", """{"relation":"at least"}""", "'num_words' is required (the reference would draw a random value)")]
    [InlineData("length_constraints:number_words", """{"num_words":-1,"relation":"at least"}""", "'num_words' must be >= 0 (the reference would draw a random value for -1)")]
    [InlineData("length_constraints:number_words", """{"num_words":5,"relation":"at most"}""", "'relation' must be \"less than\" or \"at least\", not \"at most\"")]
    [InlineData("keywords:existence", """{"keywords":[]}""", "'keywords' must not be empty (the reference would draw random words)")]
    [InlineData("language:response_language", """{"language":"xx"}""", "'language': \"xx\" is not one of the reference's language codes")]
    [InlineData("length_constraints:nth_paragraph_first_word", """{"num_paragraphs":2,"nth_paragraph":3,"first_word":"a"}""", "'nth_paragraph' must be between 1 and num_paragraphs (2) (the reference would draw a random value for 3)")]
    [InlineData("combination:repeat_prompt", """{"prompt_to_repeat":""}""", "'prompt_to_repeat' must not be empty (the reference would draw a random value or refuse it)")]
    [InlineData("punctuation:no_comma", """{"extra":1}""", "unexpected argument 'extra'")]
    public void Bad_arguments_are_refused(string id, string kwargs, string message) =>
        Assert.Equal(message, Assert.Throws<InstructionArgumentException>(() => Build(id, kwargs)).Message);

    [Fact]
    public void Capital_frequency_may_be_negative_as_in_the_reference() =>
        Assert.True(Check("change_case:capital_word_frequency", """{"capital_frequency":-1,"capital_relation":"at least"}""", "none"));

    [Fact]
    public void Null_values_count_as_not_set() =>
        Assert.True(Check("punctuation:no_comma", """{"num_words":null,"keywords":null}""", "fine"));
}
