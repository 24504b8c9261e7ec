using System.Text;
using System.Text.RegularExpressions;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Nlp;

/// <summary>A token with Punkt's annotations (NLTK's <c>PunktToken</c>).</summary>
internal sealed class PunktToken
{
    private static readonly Regex Numeric = new(@"^-?[\.,]?\d[\d,\.-]*\.?$", RegexOptions.CultureInvariant);
    private static readonly Regex Ellipsis = new(@"^\.\.+$", RegexOptions.CultureInvariant);
    private static readonly Regex Initial = new(@"^[\p{L}\p{Nl}\p{No}_]\.$", RegexOptions.CultureInvariant);

    public PunktToken(string tok)
    {
        Tok = tok;
        // re.sub with an anchored pattern: the whole lowercased token becomes ##number## or stays.
        var lower = PyText.Lower(tok);
        Type = Numeric.IsMatch(lower) ? "##number##" : lower;
        PeriodFinal = tok.EndsWith('.');
    }

    public string Tok { get; }
    public string Type { get; }
    public bool PeriodFinal { get; }
    public bool SentBreak { get; set; }
    public bool Abbr { get; set; }
    public bool IsEllipsisMark { get; set; }

    public string TypeNoPeriod => Type.Length > 1 && Type[^1] == '.' ? Type[..^1] : Type;
    public string TypeNoSentPeriod => SentBreak ? TypeNoPeriod : Type;

    public bool FirstUpper => FirstRune(out var r) && PyText.IsUpperCp(r);
    public bool FirstLower => FirstRune(out var r) && PyText.IsLowerCp(r);
    public bool IsEllipsis => Ellipsis.IsMatch(Tok);
    public bool IsInitial => Initial.IsMatch(Tok);

    private bool FirstRune(out Rune r) => Rune.DecodeFromUtf16(Tok, out r, out _) == System.Buffers.OperationStatus.Done;
}
