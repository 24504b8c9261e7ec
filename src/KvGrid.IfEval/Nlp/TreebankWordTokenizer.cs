using System.Text.RegularExpressions;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Nlp;

/// <summary>
/// Port of NLTK 3.8's <c>NLTKWordTokenizer.tokenize</c> (nltk/tokenize/destructive.py, the improved
/// Treebank tokenizer) and of <c>nltk.word_tokenize</c> (Punkt sentences, then this tokenizer on each).
/// Patterns are the originals, with Python's <c>\w</c>, <c>\s</c> and <c>\b</c> meanings.
/// </summary>
public static class TreebankWordTokenizer
{
    private static (Regex, string) R(string pythonPattern, string replacement) => (PyRegex.Compile(pythonPattern), replacement);

    private static readonly (Regex, string)[] StartingQuotes =
    [
        R("([«“‘„]|[`]+)", " $1 "),
        R("^\"", "``"),
        R("(``)", " $1 "),
        R("([ \\(\\[{<])(\"|\\'{2})", "$1 `` "),
        R("(?i)(\\')(?!re|ve|ll|m|t|s|d|n)(\\w)\\b", "$1 $2"),
    ];

    private static readonly (Regex, string)[] EndingQuotes =
    [
        R("([»”’])", " $1 "),
        R("''", " '' "),
        R("\"", " '' "),
        R("([^' ])('[sS]|'[mM]|'[dD]|') ", "$1 $2 "),
        R("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", "$1 $2 "),
    ];

    private static readonly (Regex, string)[] Punctuation =
    [
        R("([^\\.])(\\.)([\\]\\)}>\"\\'»”’ ]*)\\s*$", "$1 $2 $3 "),
        R("([:,])([^\\d])", " $1 $2"),
        R("([:,])$", " $1 "),
        R("\\.{2,}", " $0 "),
        R("[;@#$%&]", " $0 "),
        R("([^\\.])(\\.)([\\]\\)}>\"\\']*)\\s*$", "$1 $2$3 "),
        R("[?!]", " $0 "),
        R("([^'])' ", "$1 ' "),
        R("[*]", " $0 "),
    ];

    private static readonly (Regex, string) ParensBrackets = R("[\\]\\[\\(\\)\\{\\}\\<\\>]", " $0 ");
    private static readonly (Regex, string) DoubleDashes = R("--", " -- ");

    private static readonly Regex[] Contractions =
    [
        PyRegex.Compile("(?i)\\b(can)(not)\\b"),
        PyRegex.Compile("(?i)\\b(d)('ye)\\b"),
        PyRegex.Compile("(?i)\\b(gim)(me)\\b"),
        PyRegex.Compile("(?i)\\b(gon)(na)\\b"),
        PyRegex.Compile("(?i)\\b(got)(ta)\\b"),
        PyRegex.Compile("(?i)\\b(lem)(me)\\b"),
        PyRegex.Compile("(?i)\\b(more)('n)\\b"),
        PyRegex.Compile("(?i)\\b(wan)(na)(?=\\s)"),
        PyRegex.Compile("(?i) ('t)(is)\\b"),
        PyRegex.Compile("(?i) ('t)(was)\\b"),
    ];

    /// <summary>Tokenizes one sentence (NLTKWordTokenizer.tokenize, convert_parentheses=False).</summary>
    public static List<string> Tokenize(string text)
    {
        foreach (var (re, rep) in StartingQuotes) text = re.Replace(text, rep);
        foreach (var (re, rep) in Punctuation) text = re.Replace(text, rep);
        text = ParensBrackets.Item1.Replace(text, ParensBrackets.Item2);
        text = DoubleDashes.Item1.Replace(text, DoubleDashes.Item2);
        text = " " + text + " ";
        foreach (var (re, rep) in EndingQuotes) text = re.Replace(text, rep);
        foreach (var re in Contractions) text = re.Replace(text, " $1 $2 ");
        return PyText.SplitWhitespace(text);
    }

    /// <summary><c>nltk.word_tokenize(text)</c>: English Punkt sentences, then <see cref="Tokenize"/> on each.</summary>
    public static List<string> WordTokenize(string text)
    {
        var tokens = new List<string>();
        foreach (var sentence in PunktSentenceTokenizer.English.Tokenize(text)) tokens.AddRange(Tokenize(sentence));
        return tokens;
    }
}
