using KvGrid.IfEval.Nlp;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Checkers;

/// <summary>language:response_language — langdetect's verdict equals the language; undetectable text passes.</summary>
public sealed class ResponseLanguageChecker(string language) : IInstructionChecker
{
    /// <summary>instructions_util.LANGUAGE_CODES: the languages the reference accepts.</summary>
    public static readonly IReadOnlyDictionary<string, string> LanguageCodes = new Dictionary<string, string>
    {
        ["en"] = "English", ["es"] = "Spanish", ["pt"] = "Portuguese", ["ar"] = "Arabic", ["hi"] = "Hindi",
        ["fr"] = "French", ["ru"] = "Russian", ["de"] = "German", ["ja"] = "Japanese", ["it"] = "Italian",
        ["bn"] = "Bengali", ["uk"] = "Ukrainian", ["th"] = "Thai", ["ur"] = "Urdu", ["ta"] = "Tamil",
        ["te"] = "Telugu", ["bg"] = "Bulgarian", ["ko"] = "Korean", ["pl"] = "Polish", ["he"] = "Hebrew",
        ["fa"] = "Persian", ["vi"] = "Vietnamese", ["ne"] = "Nepali", ["sw"] = "Swahili", ["kn"] = "Kannada",
        ["mr"] = "Marathi", ["gu"] = "Gujarati", ["pa"] = "Punjabi", ["ml"] = "Malayalam", ["fi"] = "Finnish",
    };

    public string Language { get; } = language;
    public string InstructionId => "language:response_language";

    public bool CheckFollowing(string response)
    {
        var detected = LanguageDetector.Detect(response);
        return detected is null || detected == Language;
    }
}

/// <summary>change_case:english_capital — <c>str.isupper()</c> and detected as English (undetectable passes).</summary>
public sealed class EnglishCapitalChecker : IInstructionChecker
{
    public string InstructionId => "change_case:english_capital";

    public bool CheckFollowing(string response)
    {
        // isupper() short-circuits before detection; an undetectable upper-case text passes.
        if (!PyText.IsUpper(response)) return false;
        var detected = LanguageDetector.Detect(response);
        return detected is null || detected == "en";
    }
}

/// <summary>change_case:english_lowercase — <c>str.islower()</c> and detected as English (undetectable passes).</summary>
public sealed class EnglishLowercaseChecker : IInstructionChecker
{
    public string InstructionId => "change_case:english_lowercase";

    public bool CheckFollowing(string response)
    {
        if (!PyText.IsLower(response)) return false;
        var detected = LanguageDetector.Detect(response);
        return detected is null || detected == "en";
    }
}

/// <summary>
/// change_case:capital_word_frequency — tokens of <c>nltk.word_tokenize</c> for which <c>str.isupper()</c>
/// holds, compared with the threshold (a negative threshold is accepted, as in the reference).
/// </summary>
public sealed class CapitalWordFrequencyChecker(long frequency, Relation relation) : IInstructionChecker
{
    public long Frequency => frequency;
    public Relation Relation => relation;
    public string InstructionId => "change_case:capital_word_frequency";

    public bool CheckFollowing(string response)
    {
        int capitalWords = TreebankWordTokenizer.WordTokenize(response).Count(PyText.IsUpper);
        return relation.Holds(capitalWords, frequency);
    }
}
