namespace KvGrid.Benchmarks.Synthetic;

/// <summary>The sentence and IFEval mapping of each instruction kind.</summary>
internal static class InstructionFactory
{
    public const string PostscriptMarker = "P.S.";

    private static readonly IReadOnlyDictionary<string, object> NoKwargs = new Dictionary<string, object>();

    public static SyntheticInstruction Defense(string sentence) =>
        new(SyntheticInstructionKind.Defense, sentence, null, NoKwargs);

    public static SyntheticInstruction FactName(string name) =>
        new(SyntheticInstructionKind.FactName, $"Your name is {name}.", null, NoKwargs);

    public static SyntheticInstruction FactSecretCode(string code) =>
        new(SyntheticInstructionKind.FactSecretCode, $"The secret code is {code}.", null, NoKwargs);

    public static SyntheticInstruction FactTopic(string topic) =>
        new(SyntheticInstructionKind.FactTopic, $"You only help with questions about {topic}.", null, NoKwargs);

    public static SyntheticInstruction Uppercase() =>
        new(SyntheticInstructionKind.Uppercase,
            "Your entire response must be in English and in capital letters only.", "change_case:english_capital", NoKwargs);

    public static SyntheticInstruction Lowercase() =>
        new(SyntheticInstructionKind.Lowercase,
            "Your entire response must be in English and in lowercase letters only.", "change_case:english_lowercase", NoKwargs);

    /// <summary>IFEval has no plain "first word" checker; nth_paragraph_first_word with one paragraph is that rule.</summary>
    public static SyntheticInstruction StartWord(string word) =>
        new(SyntheticInstructionKind.StartWord, $"Start your response with the word {Capitalize(word)}.",
            "length_constraints:nth_paragraph_first_word",
            new Dictionary<string, object> { ["num_paragraphs"] = 1, ["nth_paragraph"] = 1, ["first_word"] = word });

    public static SyntheticInstruction EndPhrase(string phrase) =>
        new(SyntheticInstructionKind.EndPhrase, $"End your response with the exact phrase '{phrase}' and add nothing after it.",
            "startend:end_checker", new Dictionary<string, object> { ["end_phrase"] = phrase });

    public static SyntheticInstruction NoComma() =>
        new(SyntheticInstructionKind.NoComma, "Do not use any commas in your response.", "punctuation:no_comma", NoKwargs);

    public static SyntheticInstruction Quotation() =>
        new(SyntheticInstructionKind.Quotation, "Wrap your entire response in double quotation marks.",
            "startend:quotation", NoKwargs);

    public static SyntheticInstruction KeywordFrequency(string keyword, int frequency) =>
        new(SyntheticInstructionKind.KeywordFrequency, $"Use the word {keyword} at least {frequency} times.",
            "keywords:frequency",
            new Dictionary<string, object> { ["keyword"] = keyword, ["frequency"] = frequency, ["relation"] = "at least" });

    public static SyntheticInstruction Title() =>
        new(SyntheticInstructionKind.Title, "Include a title wrapped in double angular brackets, such as <<my title>>.",
            "detectable_format:title", NoKwargs);

    public static SyntheticInstruction Postscript() =>
        new(SyntheticInstructionKind.Postscript, $"At the end of your response, add a postscript starting with {PostscriptMarker}",
            "detectable_content:postscript", new Dictionary<string, object> { ["postscript_marker"] = PostscriptMarker });

    public static SyntheticInstruction KeywordExistence(string first, string second) =>
        new(SyntheticInstructionKind.KeywordExistence, $"Include the keywords {first} and {second} in your response.",
            "keywords:existence", new Dictionary<string, object> { ["keywords"] = new[] { first, second } });

    public static string Capitalize(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
