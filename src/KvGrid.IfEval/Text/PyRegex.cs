using System.Text;
using System.Text.RegularExpressions;

namespace KvGrid.IfEval.Text;

/// <summary>
/// Builds .NET regular expressions that behave like Python 3 <c>re</c> patterns on <c>str</c>:
/// <c>\w</c> is letters, numbers and underscore (no combining marks, unlike .NET), <c>\s</c> is
/// <c>str.isspace</c>, <c>\b</c> is a boundary between those <c>\w</c> and the rest.
/// </summary>
public static class PyRegex
{
    public const string Word = @"[\p{L}\p{N}_]";
    public const string NonWord = @"[^\p{L}\p{N}_]";
    public const string Space = @"[\s\x1C-\x1F]";
    public const string NonSpace = @"[^\s\x1C-\x1F]";
    public const string Boundary = @"(?:(?<=[\p{L}\p{N}_])(?![\p{L}\p{N}_])|(?<![\p{L}\p{N}_])(?=[\p{L}\p{N}_]))";

    /// <summary>
    /// Rewrites a Python pattern's <c>\w \W \s \S \b \B</c> escapes (outside and inside character classes)
    /// to their Python meaning; other syntax is shared by both engines for the patterns the checkers use.
    /// </summary>
    public static string Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                char n = pattern[++i];
                switch (n)
                {
                    case 'w': sb.Append(inClass ? @"\p{L}\p{N}_" : Word); break;
                    case 's': sb.Append(inClass ? @"\s\x1C-\x1F" : Space); break;
                    case 'W' when !inClass: sb.Append(NonWord); break;
                    case 'S' when !inClass: sb.Append(NonSpace); break;
                    case 'b' when !inClass: sb.Append(Boundary); break;
                    case 'B' when !inClass: sb.Append(@"(?:(?<=[\p{L}\p{N}_])(?=[\p{L}\p{N}_])|(?<![\p{L}\p{N}_])(?![\p{L}\p{N}_]))"); break;
                    default: sb.Append('\\').Append(n); break;
                }
                continue;
            }
            if (c == '[' && !inClass) { inClass = true; sb.Append(c); if (i + 1 < pattern.Length && pattern[i + 1] == '^') { sb.Append('^'); i++; } if (i + 1 < pattern.Length && pattern[i + 1] == ']') { sb.Append(@"\]"); i++; } continue; }
            if (c == ']' && inClass) { inClass = false; sb.Append(c); continue; }
            if (c == '[' && inClass) { sb.Append(@"\["); continue; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Compiles a Python pattern with Python semantics.</summary>
    public static Regex Compile(string pythonPattern, RegexOptions options = RegexOptions.None) =>
        new(Translate(pythonPattern), options | RegexOptions.CultureInvariant);
}
