using System.Text.RegularExpressions;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Checkers;

/// <summary>keywords:existence — every keyword, used as a case-insensitive regular expression, is found.</summary>
public sealed class KeywordExistenceChecker : IInstructionChecker
{
    private readonly Regex[] _keywords;

    public KeywordExistenceChecker(IReadOnlyList<string> keywords)
    {
        Keywords = keywords.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        _keywords = Keywords.Select(k => PatternFrom(k, "keywords")).ToArray();
    }

    public IReadOnlyList<string> Keywords { get; }
    public string InstructionId => "keywords:existence";

    public bool CheckFollowing(string response) => _keywords.All(k => k.IsMatch(response));

    internal static Regex PatternFrom(string pythonPattern, string argument, string prefix = "", string suffix = "")
    {
        try
        {
            return PyRegex.Compile(prefix + pythonPattern + suffix, RegexOptions.IgnoreCase);
        }
        catch (ArgumentException)
        {
            throw new InstructionArgumentException($"'{argument}': \"{pythonPattern}\" is not a valid regular expression");
        }
    }
}

/// <summary>keywords:frequency — case-insensitive regex matches of the keyword, compared with the threshold.</summary>
public sealed class KeywordFrequencyChecker(string keyword, long frequency, Relation relation) : IInstructionChecker
{
    private readonly Regex _keyword = KeywordExistenceChecker.PatternFrom(PyText.Strip(keyword), "keyword");

    public string Keyword { get; } = PyText.Strip(keyword);
    public long Frequency => frequency;
    public Relation Relation => relation;
    public string InstructionId => "keywords:frequency";

    public bool CheckFollowing(string response) => relation.Holds(_keyword.Matches(response).Count, frequency);
}

/// <summary>keywords:forbidden_words — none of the words appears between Python word boundaries (case-insensitive).</summary>
public sealed class ForbiddenWordsChecker : IInstructionChecker
{
    private readonly Regex[] _words;

    public ForbiddenWordsChecker(IReadOnlyList<string> forbiddenWords)
    {
        Words = forbiddenWords.Distinct(StringComparer.Ordinal).OrderBy(w => w, StringComparer.Ordinal).ToArray();
        _words = Words.Select(w => KeywordExistenceChecker.PatternFrom(w, "forbidden_words", @"\b", @"\b")).ToArray();
    }

    public IReadOnlyList<string> Words { get; }
    public string InstructionId => "keywords:forbidden_words";

    public bool CheckFollowing(string response) => !_words.Any(w => w.IsMatch(response));
}

/// <summary>
/// keywords:letter_frequency — occurrences of the letter in the lowercased response.
/// The reference replaces a letter outside a-z/A-Z (the dataset has "!" and "#") by a random ASCII letter;
/// this port then returns the verdict most of the 26 letters would give, the best deterministic
/// guess of the reference's random verdict.
/// </summary>
public sealed class LetterFrequencyChecker(string? letter, long frequency, Relation relation) : IInstructionChecker
{
    public string? Letter { get; } = letter;
    public long Frequency => frequency;
    public Relation Relation => relation;
    public string InstructionId => "keywords:letter_frequency";

    public bool CheckFollowing(string response)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in PyText.Lower(response).EnumerateRunes())
        {
            var key = r.ToString();
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        if (Letter is not null) return relation.Holds(counts.GetValueOrDefault(Letter), frequency);
        int holds = 0;
        for (char c = 'a'; c <= 'z'; c++)
            if (relation.Holds(counts.GetValueOrDefault(c.ToString()), frequency)) holds++;
        return holds * 2 > 26;
    }

    /// <summary>The reference's validation: one code point whose lowercase is a-z, else a random letter (null here).</summary>
    public static string? NormalizeLetter(string? letter)
    {
        if (string.IsNullOrEmpty(letter) || PyText.CodePointLength(letter) > 1) return null;
        var lower = PyText.Lower(letter);
        if (PyText.CodePointLength(lower) != 1 || lower[0] < 'a' || lower[0] > 'z') return null;
        return PyText.Lower(PyText.Strip(letter));
    }
}
