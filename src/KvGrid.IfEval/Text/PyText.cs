using System.Globalization;
using System.Text;

namespace KvGrid.IfEval.Text;

/// <summary>
/// Python 3 <c>str</c> semantics the reference checkers rely on (whitespace, case predicates,
/// strip/split, code-point length), which differ from .NET's defaults.
/// </summary>
public static class PyText
{
    /// <summary>Python's <c>str.isspace</c> for one code point (includes U+001C..U+001F, unlike .NET).</summary>
    public static bool IsSpace(int cp) => cp switch
    {
        >= 0x09 and <= 0x0D => true,
        >= 0x1C and <= 0x20 => true,
        0x85 or 0xA0 or 0x1680 => true,
        >= 0x2000 and <= 0x200A => true,
        0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    public static bool IsSpace(char c) => IsSpace((int)c);

    /// <summary>Python <c>str.strip()</c> with no argument.</summary>
    public static string Strip(string s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsSpace(s[start])) start++;
        while (end > start && IsSpace(s[end - 1])) end--;
        return s.Substring(start, end - start);
    }

    /// <summary>Python <c>str.rstrip()</c> with no argument.</summary>
    public static string RStrip(string s)
    {
        int end = s.Length;
        while (end > 0 && IsSpace(s[end - 1])) end--;
        return s.Substring(0, end);
    }

    /// <summary>Python <c>str.strip(chars)</c>.</summary>
    public static string StripChars(string s, string chars) => s.Trim(chars.ToCharArray());

    /// <summary>Python <c>str.split()</c> with no argument: runs of whitespace, no empty items.</summary>
    public static List<string> SplitWhitespace(string s)
    {
        var parts = new List<string>();
        int i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && IsSpace(s[i])) i++;
            int start = i;
            while (i < s.Length && !IsSpace(s[i])) i++;
            if (i > start) parts.Add(s.Substring(start, i - start));
        }
        return parts;
    }

    /// <summary>Number of code points (Python <c>len</c>).</summary>
    public static int CodePointLength(string s)
    {
        int n = 0;
        foreach (var _ in s.EnumerateRunes()) n++;
        return n;
    }

    /// <summary>Python <c>str.lower()</c>: invariant lowercasing plus the special casing of U+0130.</summary>
    public static string Lower(string s)
    {
        if (s.IndexOf('\u0130') < 0) return s.ToLowerInvariant();
        var sb = new StringBuilder(s.Length + 4);
        foreach (char c in s) sb.Append(c == '\u0130' ? "i\u0307" : char.ToLowerInvariant(c).ToString());
        return sb.ToString();
    }

    /// <summary>Python <c>str.isupper()</c>: at least one cased code point and no lowercase or titlecase one.</summary>
    public static bool IsUpper(string s)
    {
        bool cased = false;
        foreach (var r in s.EnumerateRunes())
        {
            if (IsLowerCp(r) || Rune.GetUnicodeCategory(r) == UnicodeCategory.TitlecaseLetter) return false;
            if (!cased && IsUpperCp(r)) cased = true;
        }
        return cased;
    }

    /// <summary>Python <c>str.islower()</c>: at least one cased code point and no uppercase or titlecase one.</summary>
    public static bool IsLower(string s)
    {
        bool cased = false;
        foreach (var r in s.EnumerateRunes())
        {
            if (IsUpperCp(r) || Rune.GetUnicodeCategory(r) == UnicodeCategory.TitlecaseLetter) return false;
            if (!cased && IsLowerCp(r)) cased = true;
        }
        return cased;
    }

    /// <summary>Python's uppercase predicate for one code point: Lu or Other_Uppercase.</summary>
    public static bool IsUpperCp(Rune r)
    {
        if (Rune.GetUnicodeCategory(r) == UnicodeCategory.UppercaseLetter) return true;
        int cp = r.Value;
        return cp is (>= 0x2160 and <= 0x216F) or (>= 0x24B6 and <= 0x24CF)
            or (>= 0x1F130 and <= 0x1F149) or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189);
    }

    /// <summary>Python's lowercase predicate for one code point: Ll or Other_Lowercase.</summary>
    public static bool IsLowerCp(Rune r)
    {
        if (Rune.GetUnicodeCategory(r) == UnicodeCategory.LowercaseLetter) return true;
        int cp = r.Value;
        return cp is 0xAA or 0xBA or (>= 0x2B0 and <= 0x2B8) or 0x2C0 or 0x2C1 or (>= 0x2E0 and <= 0x2E4)
            or 0x345 or 0x37A or (>= 0x1D2C and <= 0x1D6A) or 0x1D78 or (>= 0x1D9B and <= 0x1DBF)
            or 0x2071 or 0x207F or (>= 0x2090 and <= 0x209C) or (>= 0x2170 and <= 0x217F)
            or (>= 0x24D0 and <= 0x24E9) or 0x2C7C or 0x2C7D or 0xA69C or 0xA69D or 0xA770
            or 0xA7F8 or 0xA7F9 or (>= 0xAB5C and <= 0xAB5F);
    }

    /// <summary>Python <c>str.removeprefix</c>.</summary>
    public static string RemovePrefix(string s, string prefix) =>
        s.StartsWith(prefix, StringComparison.Ordinal) ? s.Substring(prefix.Length) : s;

    /// <summary>Python <c>str.removesuffix</c>.</summary>
    public static string RemoveSuffix(string s, string suffix) =>
        suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s.Substring(0, s.Length - suffix.Length) : s;
}
