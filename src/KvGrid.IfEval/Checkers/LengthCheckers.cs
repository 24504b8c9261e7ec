using System.Text.RegularExpressions;
using KvGrid.IfEval.Nlp;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Checkers;

/// <summary>length_constraints:number_sentences — Punkt English sentence count compared with the threshold.</summary>
public sealed class NumberSentencesChecker(long numSentences, Relation relation) : IInstructionChecker
{
    public long NumSentences => numSentences;
    public Relation Relation => relation;
    public string InstructionId => "length_constraints:number_sentences";

    public bool CheckFollowing(string response) =>
        relation.Holds(PunktSentenceTokenizer.English.Tokenize(response).Count, numSentences);
}

/// <summary>length_constraints:number_words — count of Python <c>\w+</c> runs (NLTK RegexpTokenizer) compared with the threshold.</summary>
public sealed class NumberWordsChecker(long numWords, Relation relation) : IInstructionChecker
{
    private static readonly Regex WordRun = PyRegex.Compile(@"\w+");

    public long NumWords => numWords;
    public Relation Relation => relation;
    public string InstructionId => "length_constraints:number_words";

    public static int CountWords(string text) => WordRun.Matches(text).Count;

    public bool CheckFollowing(string response) => relation.Holds(CountWords(response), numWords);
}

/// <summary>
/// length_constraints:number_paragraphs — split on <c>\s?\*\*\*\s?</c>; empty first/last pieces are dropped,
/// an empty inner piece fails; the count must equal the target.
/// </summary>
public sealed class NumberParagraphsChecker(long numParagraphs) : IInstructionChecker
{
    private static readonly Regex Divider = PyRegex.Compile(@"\s?\*\*\*\s?");

    public long NumParagraphs => numParagraphs;
    public string InstructionId => "length_constraints:number_paragraphs";

    public bool CheckFollowing(string response)
    {
        var paragraphs = Divider.Split(response);
        int count = paragraphs.Length;
        for (int i = 0; i < paragraphs.Length; i++)
        {
            if (PyText.Strip(paragraphs[i]).Length != 0) continue;
            if (i == 0 || i == paragraphs.Length - 1) count--;
            else return false;
        }
        return count == numParagraphs;
    }
}

/// <summary>
/// length_constraints:nth_paragraph_first_word — paragraphs split on "\n\n" (empty ones not counted),
/// the count equals the target and the nth piece's first word (leading quotes removed, cut at the
/// first . , ? ! ' ") lowercased equals the word.
/// </summary>
public sealed class NthParagraphFirstWordChecker(long numParagraphs, long nthParagraph, string firstWord) : IInstructionChecker
{
    private static readonly HashSet<char> Punctuation = ['.', ',', '?', '!', '\'', '"'];

    public long NumParagraphs => numParagraphs;
    public long NthParagraph => nthParagraph;
    public string FirstWord { get; } = PyText.Lower(firstWord);
    public string InstructionId => "length_constraints:nth_paragraph_first_word";

    public bool CheckFollowing(string response)
    {
        var paragraphs = response.Split("\n\n");
        int count = paragraphs.Length;
        foreach (var p in paragraphs)
            if (PyText.Strip(p).Length == 0) count--;

        if (nthParagraph > count) return false;
        // Python indexing: the nth piece of the raw split (empty pieces included), as the reference does.
        string paragraph = PyText.Strip(paragraphs[nthParagraph - 1]);
        if (paragraph.Length == 0) return false;

        string word = PyText.Strip(PyText.SplitWhitespace(paragraph)[0]);
        word = word.TrimStart('\'').TrimStart('"');
        var first = new System.Text.StringBuilder();
        foreach (var r in word.EnumerateRunes())
        {
            if (r.IsBmp && Punctuation.Contains((char)r.Value)) break;
            first.Append(PyText.Lower(r.ToString()));
        }
        return count == numParagraphs && first.ToString() == FirstWord;
    }
}
