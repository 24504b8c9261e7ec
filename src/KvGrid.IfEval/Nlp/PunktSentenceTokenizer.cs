using System.Text.RegularExpressions;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Nlp;

/// <summary>
/// Port of NLTK 3.8's <c>PunktSentenceTokenizer.tokenize</c> (nltk/tokenize/punkt.py): candidate
/// boundaries from the period-context regex, each decided by annotating the words around it
/// (first pass: sentence-end characters, ellipses, known abbreviations; second pass: collocations,
/// orthographic heuristic, frequent sentence starters, initials and ordinal numbers), then
/// realignment of closing quotes and brackets.
/// </summary>
public sealed class PunktSentenceTokenizer(PunktParameters parameters)
{
    // PunktLanguageVars regexes, with Python's \s/\S.
    private const string NonWord = @"(?:[)"";}\]\*:@'\({\[?!])";
    private const string MultiChar = @"(?:\-{2,}|\.{2,}|(?:\." + PyRegex.Space + @"){2,}\.)";
    private const string WordStart = @"[^\(""`{\[:;&\#\*@\)}\]\-,]";

    private static readonly Regex WordTokenizer = new(
        "(" + MultiChar + "|(?=" + WordStart + ")" + PyRegex.NonSpace + "+?(?=" + PyRegex.Space + "|$|" + NonWord + "|" + MultiChar
        + "|,(?=$|" + PyRegex.Space + "|" + NonWord + "|" + MultiChar + "))|" + PyRegex.NonSpace + ")",
        RegexOptions.CultureInvariant);

    private static readonly Regex PeriodContext = new(
        @"[\.\?!](?=(?<after_tok>" + NonWord + "|" + PyRegex.Space + "+(?<next_tok>" + PyRegex.NonSpace + "+)))",
        RegexOptions.CultureInvariant);

    private static readonly Regex BoundaryRealignment = new(
        @"\A[""')\]}]+?(?:" + PyRegex.Space + @"+|(?=--)|$)", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static readonly string[] Punctuation = [";", ":", ",", ".", "!", "?"];

    private static readonly Lazy<PunktSentenceTokenizer> EnglishLazy = new(() => new PunktSentenceTokenizer(PunktParameters.English));

    /// <summary>The tokenizer with the English parameters (see <see cref="PunktParameters.English"/>).</summary>
    public static PunktSentenceTokenizer English => EnglishLazy.Value;

    private readonly PunktParameters _params = parameters;

    /// <summary>Splits text into sentences (with boundary realignment, NLTK's default).</summary>
    public IReadOnlyList<string> Tokenize(string text)
    {
        var result = new List<string>();
        foreach (var (start, end) in Realign(text, SlicesFromText(text)))
            result.Add(text.Substring(start, end - start));
        return result;
    }

    /// <summary>Word tokens as Punkt sees them (punctuation other than periods split off).</summary>
    internal static List<string> WordTokenize(string line)
    {
        var list = new List<string>();
        foreach (Match m in WordTokenizer.Matches(line)) list.Add(m.Groups[1].Value);
        return list;
    }

    private IEnumerable<(int Start, int End)> SlicesFromText(string text)
    {
        int lastBreak = 0;
        foreach (var (match, context) in MatchPotentialEndContexts(text))
        {
            if (!TextContainsSentBreak(context)) continue;
            yield return (lastBreak, match.Index + match.Length);
            var next = match.Groups["next_tok"];
            lastBreak = next.Success ? next.Index : match.Index + match.Length;
        }
        yield return (lastBreak, PyText.RStrip(text).Length);
    }

    private static IEnumerable<(Match Match, string Context)> MatchPotentialEndContexts(string text)
    {
        (int Start, int Stop) previousSlice = (0, 0);
        Match? previousMatch = null;
        foreach (Match match in PeriodContext.Matches(text))
        {
            string beforeText = text.Substring(previousSlice.Stop, match.Index - previousSlice.Stop);
            int indexAfterLastSpace = LastAsciiWhitespaceIndex(beforeText);
            if (indexAfterLastSpace != 0) indexAfterLastSpace += previousSlice.Stop + 1;
            else indexAfterLastSpace = previousSlice.Start;
            var prevWordSlice = (Start: indexAfterLastSpace, Stop: match.Index);
            if (previousMatch is not null && previousSlice.Stop <= prevWordSlice.Start)
                yield return (previousMatch, Context(text, previousSlice, previousMatch));
            previousMatch = match;
            previousSlice = prevWordSlice;
        }
        if (previousMatch is not null) yield return (previousMatch, Context(text, previousSlice, previousMatch));
    }

    private static string Context(string text, (int Start, int Stop) slice, Match m) =>
        PySlice(text, slice.Start, slice.Stop) + m.Value + m.Groups["after_tok"].Value;

    // Python slicing never throws: a start past the stop yields "".
    private static string PySlice(string s, int start, int stop) => stop > start ? s.Substring(start, stop - start) : "";

    // punkt.py _get_last_whitespace_index: string.whitespace only (ASCII); 0 both for "none" and "at 0".
    private static int LastAsciiWhitespaceIndex(string text)
    {
        for (int i = text.Length - 1; i >= 0; i--)
            if (text[i] is ' ' or '\t' or '\n' or '\r' or '\v' or '\f') return i;
        return 0;
    }

    private IEnumerable<(int, int)> Realign(string text, IEnumerable<(int Start, int End)> slices)
    {
        int realign = 0;
        var list = slices.ToList();
        for (int k = 0; k < list.Count; k++)
        {
            var s1 = (Start: list[k].Start + realign, End: list[k].End);
            if (k + 1 >= list.Count)
            {
                if (s1.End > s1.Start) yield return s1;
                continue;
            }
            var s2 = list[k + 1];
            var m = BoundaryRealignment.Match(PySlice(text, s2.Start, s2.End));
            if (m.Success)
            {
                yield return (s1.Start, s2.Start + PyText.RStrip(m.Value).Length);
                realign = m.Index + m.Length;
            }
            else
            {
                realign = 0;
                if (s1.End > s1.Start) yield return s1;
            }
        }
    }

    /// <summary>True if the text has a sentence break followed by at least one more token.</summary>
    private bool TextContainsSentBreak(string text)
    {
        bool found = false;
        foreach (var tok in AnnotateTokens(TokenizeWords(text)))
        {
            if (found) return true;
            if (tok.SentBreak) found = true;
        }
        return false;
    }

    private static IEnumerable<PunktToken> TokenizeWords(string plaintext)
    {
        foreach (var line in plaintext.Split('\n'))
        {
            if (PyText.Strip(line).Length == 0) continue;
            foreach (var tok in WordTokenize(line)) yield return new PunktToken(tok);
        }
    }

    private IEnumerable<PunktToken> AnnotateTokens(IEnumerable<PunktToken> tokens)
    {
        PunktToken? prev = null;
        foreach (var tok in tokens)
        {
            FirstPass(tok);
            if (prev is not null)
            {
                SecondPass(prev, tok);
                yield return prev;
            }
            prev = tok;
        }
        if (prev is not null) yield return prev;
    }

    private void FirstPass(PunktToken t)
    {
        string tok = t.Tok;
        if (tok is "." or "?" or "!") t.SentBreak = true;
        else if (t.IsEllipsis) t.IsEllipsisMark = true;
        else if (t.PeriodFinal && !tok.EndsWith("..", StringComparison.Ordinal))
        {
            var stem = PyText.Lower(tok[..^1]);
            var lastPart = stem.Split('-')[^1];
            if (_params.AbbrevTypes.Contains(stem) || _params.AbbrevTypes.Contains(lastPart)) t.Abbr = true;
            else t.SentBreak = true;
        }
    }

    private void SecondPass(PunktToken t1, PunktToken t2)
    {
        if (!t1.PeriodFinal) return;
        string typ = t1.TypeNoPeriod;
        string nextTyp = t2.TypeNoSentPeriod;
        bool isInitial = t1.IsInitial;

        if (_params.Collocations.Contains((typ, nextTyp)))
        {
            t1.SentBreak = false;
            t1.Abbr = true;
            return;
        }
        if ((t1.Abbr || t1.IsEllipsisMark) && !isInitial)
        {
            var starter = OrthoHeuristic(t2);
            if (starter == true) { t1.SentBreak = true; return; }
            if (t2.FirstUpper && _params.SentStarters.Contains(nextTyp)) { t1.SentBreak = true; return; }
        }
        if (isInitial || typ == "##number##")
        {
            var starter = OrthoHeuristic(t2);
            if (starter == false) { t1.SentBreak = false; t1.Abbr = true; return; }
            if (starter is null && isInitial && t2.FirstUpper && (_params.Ortho(nextTyp) & PunktParameters.OrthoLc) == 0)
            {
                t1.SentBreak = false;
                t1.Abbr = true;
            }
        }
    }

    /// <summary>True: starts a sentence; false: does not; null: unknown.</summary>
    private bool? OrthoHeuristic(PunktToken t)
    {
        if (Array.IndexOf(Punctuation, t.Tok) >= 0) return false;
        int ortho = _params.Ortho(t.TypeNoSentPeriod);
        if (t.FirstUpper && (ortho & PunktParameters.OrthoLc) != 0 && (ortho & PunktParameters.OrthoMidUc) == 0) return true;
        if (t.FirstLower && ((ortho & PunktParameters.OrthoUc) != 0 || (ortho & PunktParameters.OrthoBegLc) == 0)) return false;
        return null;
    }
}
