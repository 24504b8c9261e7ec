using System.Globalization;
using System.Text;

namespace KvGrid.Templating.Runtime.Values;

/// <summary>
/// Python's full Unicode case mappings for str.upper/lower/title/capitalize: .NET's invariant mappings are
/// one-to-one, so the unconditional SpecialCasing entries (ß → SS, ligatures, İ → i̇), titlecase digraphs
/// (ǆ → ǅ) and the final-sigma rule are added here.
/// </summary>
internal static class PyCase
{
    private static readonly Dictionary<int, string> UpperSpecial = new()
    {
        [0x00DF] = "SS", [0x0149] = "\u02BCN", [0x01F0] = "J\u030C", [0x0390] = "\u0399\u0308\u0301",
        [0x03B0] = "\u03A5\u0308\u0301", [0x0587] = "\u0535\u0552", [0x1E96] = "H\u0331", [0x1E97] = "T\u0308",
        [0x1E98] = "W\u030A", [0x1E99] = "Y\u030A", [0x1E9A] = "A\u02BE", [0xFB00] = "FF", [0xFB01] = "FI",
        [0xFB02] = "FL", [0xFB03] = "FFI", [0xFB04] = "FFL", [0xFB05] = "ST", [0xFB06] = "ST",
        [0xFB13] = "\u0544\u0546", [0xFB14] = "\u0544\u0535", [0xFB15] = "\u0544\u053B", [0xFB16] = "\u054E\u0546", [0xFB17] = "\u0544\u053D",
    };

    private static readonly Dictionary<int, string> TitleSpecial = new()
    {
        [0x00DF] = "Ss", [0x0149] = "\u02BCN", [0x01F0] = "J\u030C", [0x0587] = "\u0535\u0582",
        [0xFB00] = "Ff", [0xFB01] = "Fi", [0xFB02] = "Fl", [0xFB03] = "Ffi", [0xFB04] = "Ffl", [0xFB05] = "St", [0xFB06] = "St",
        [0xFB13] = "\u0544\u0576", [0xFB14] = "\u0544\u0565", [0xFB15] = "\u0544\u056B", [0xFB16] = "\u054E\u0576", [0xFB17] = "\u0544\u056D",
        [0x01C4] = "\u01C5", [0x01C5] = "\u01C5", [0x01C6] = "\u01C5", [0x01C7] = "\u01C8", [0x01C8] = "\u01C8", [0x01C9] = "\u01C8",
        [0x01CA] = "\u01CB", [0x01CB] = "\u01CB", [0x01CC] = "\u01CB", [0x01F1] = "\u01F2", [0x01F2] = "\u01F2", [0x01F3] = "\u01F2",
    };

    public static string Upper(string s)
    {
        if (PyStrings.IsAsciiOnly(s))
            return s.ToUpperInvariant();
        var sb = new StringBuilder(s.Length);
        foreach (var rune in s.EnumerateRunes())
            sb.Append(UpperSpecial.TryGetValue(rune.Value, out var special) ? special : Rune.ToUpperInvariant(rune).ToString());
        return sb.ToString();
    }

    public static string Lower(string s)
    {
        if (PyStrings.IsAsciiOnly(s))
            return s.ToLowerInvariant();
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\u0130')
                sb.Append("i\u0307");
            else if (c == '\u03A3')
                sb.Append(IsFinalSigma(s, i) ? '\u03C2' : '\u03C3');
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length)
                sb.Append(Rune.ToLowerInvariant(new Rune(c, s[++i])).ToString());
            else
                sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>Title case of one code point (the first letter of a word).</summary>
    public static string TitleChar(Rune rune) =>
        TitleSpecial.TryGetValue(rune.Value, out var special) ? special
        : UpperSpecial.TryGetValue(rune.Value, out var upper) ? upper
        : Rune.ToUpperInvariant(rune).ToString();

    /// <summary>First code point title-cased, the rest lowered (str.capitalize, jinja2's capitalize/title pieces).</summary>
    public static string Capitalize(string s)
    {
        if (s.Length == 0)
            return s;
        var first = Rune.GetRuneAt(s, 0);
        return TitleChar(first) + Lower(s[first.Utf16SequenceLength..]);
    }

    public static bool IsCased(Rune rune) =>
        Rune.IsUpper(rune) || Rune.IsLower(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.TitlecaseLetter;

    /// <summary>Python's str.title: a letter after a cased letter is lowered, otherwise title-cased.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previousCased = false;
        foreach (var rune in s.EnumerateRunes())
        {
            sb.Append(previousCased ? Lower(rune.ToString()) : TitleChar(rune));
            previousCased = IsCased(rune);
        }
        return sb.ToString();
    }

    private static bool IsFinalSigma(string s, int index)
    {
        var before = index - 1;
        while (before >= 0 && IsCaseIgnorable(s[before]))
            before--;
        if (before < 0 || !char.IsLetter(s[before]))
            return false;
        var after = index + 1;
        while (after < s.Length && IsCaseIgnorable(s[after]))
            after++;
        return after >= s.Length || !char.IsLetter(s[after]);
    }

    private static bool IsCaseIgnorable(char c) => c is '\'' or '.' or ':' or '^' or '`' or '\u00AD' or '\u2019'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
}
