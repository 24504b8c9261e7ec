using System.Globalization;
using System.Text;

namespace KvGrid.Templating.Lexing;

/// <summary>
/// Decodes the body of a template string literal the way jinja2 does
/// (<c>encode("ascii", "backslashreplace").decode("unicode-escape")</c>): Python escapes,
/// unknown escapes kept verbatim, backslash-newline removed.
/// </summary>
internal static class StringLiteralDecoder
{
    /// <returns>The decoded text, or null with <paramref name="error"/> set for a malformed escape.</returns>
    public static string? Decode(string body, out string? error)
    {
        error = null;
        if (!body.Contains('\\'))
            return body;
        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (i + 1 >= body.Length)
            {
                error = "\\ at end of string";
                return null;
            }
            var e = body[++i];
            switch (e)
            {
                case '\n': break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x':
                case 'u':
                case 'U':
                    var width = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (body.Length - i - 1 < width
                        || !long.TryParse(body.AsSpan(i + 1, width), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        error = e == 'x' ? $"truncated \\xXX escape" : e == 'u' ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape";
                        return null;
                    }
                    if (code is > 0x10FFFF or < 0)
                    {
                        error = "illegal Unicode character";
                        return null;
                    }
                    sb.Append(code is >= 0xD800 and <= 0xDFFF ? ((char)code).ToString() : char.ConvertFromUtf32((int)code));
                    i += width;
                    break;
                case >= '0' and <= '7':
                    var value = e - '0';
                    for (var n = 0; n < 2 && i + 1 < body.Length && body[i + 1] is >= '0' and <= '7'; n++)
                        value = value * 8 + (body[++i] - '0');
                    sb.Append((char)value);
                    break;
                case 'N':
                    error = "\\N{...} escapes are not supported";
                    return null;
                default:
                    sb.Append('\\').Append(e);
                    break;
            }
        }
        return sb.ToString();
    }
}
