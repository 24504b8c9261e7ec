namespace KvGrid.Templating.Runtime.Values;

/// <summary>
/// Python str semantics over .NET UTF-16 strings: lengths, indices and slices count code points,
/// whitespace is Python's <c>str.isspace</c>.
/// </summary>
internal static class PyStrings
{
    public static bool HasSurrogates(string s)
    {
        foreach (var c in s)
        {
            if (char.IsSurrogate(c))
                return true;
        }
        return false;
    }

    public static int Length(string s) => HasSurrogates(s) ? s.EnumerateRunes().Count() : s.Length;

    /// <summary>The string's code points as one-character Python strings.</summary>
    public static List<string> CodePoints(string s)
    {
        var result = new List<string>(s.Length);
        if (!HasSurrogates(s))
        {
            foreach (var c in s)
                result.Add(c.ToString());
            return result;
        }
        foreach (var rune in s.EnumerateRunes())
            result.Add(rune.ToString());
        return result;
    }

    /// <summary>Python's <c>str.isspace</c> for one character (adds the ASCII separators \x1c-\x1f).</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || (c >= '\x1c' && c <= '\x1f');

    public static string Strip(string s, string? chars, bool left, bool right)
    {
        var start = 0;
        var end = s.Length;
        Func<char, bool> strip = chars is null ? IsSpace : c => chars.Contains(c);
        if (left)
        {
            while (start < end && strip(s[start]))
                start++;
        }
        if (right)
        {
            while (end > start && strip(s[end - 1]))
                end--;
        }
        return s.Substring(start, end - start);
    }

    /// <summary>Ordinal comparison by code point (UTF-16 order differs for surrogates vs U+E000..U+FFFF).</summary>
    public static int CompareOrdinalCodePoints(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i])
                return Fix(a[i]) - Fix(b[i]);
        }
        return a.Length - b.Length;

        static int Fix(char c) => c >= 0xE000 ? c - 0x800 : char.IsSurrogate(c) ? c + 0x2000 : c;
    }

    public static bool IsAsciiOnly(string s)
    {
        foreach (var c in s)
        {
            if (c > 0x7f)
                return false;
        }
        return true;
    }
}
