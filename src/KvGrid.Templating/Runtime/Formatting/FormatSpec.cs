using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Formatting;

/// <summary>Python's <c>format(value, spec)</c>: <c>[[fill]align][sign][#][0][width][,|_][.precision][type]</c>.</summary>
internal static class FormatSpec
{
    public static string Apply(object? value, string spec)
    {
        var i = 0;
        char fill = ' ';
        char align = '\0';
        if (spec.Length >= 2 && "<>=^".Contains(spec[1]))
        {
            fill = spec[0];
            align = spec[1];
            i = 2;
        }
        else if (spec.Length >= 1 && "<>=^".Contains(spec[0]))
        {
            align = spec[0];
            i = 1;
        }
        var sign = '-';
        if (i < spec.Length && "+- ".Contains(spec[i]))
            sign = spec[i++];
        var alternate = false;
        if (i < spec.Length && spec[i] == '#')
        {
            alternate = true;
            i++;
        }
        if (i < spec.Length && spec[i] == '0')
        {
            if (align == '\0')
            {
                fill = '0';
                align = '=';
            }
            i++;
        }
        var width = 0;
        while (i < spec.Length && char.IsAsciiDigit(spec[i]))
            width = width * 10 + (spec[i++] - '0');
        char grouping = '\0';
        if (i < spec.Length && (spec[i] == ',' || spec[i] == '_'))
            grouping = spec[i++];
        int? precision = null;
        if (i < spec.Length && spec[i] == '.')
        {
            i++;
            var p = 0;
            while (i < spec.Length && char.IsAsciiDigit(spec[i]))
                p = p * 10 + (spec[i++] - '0');
            precision = p;
        }
        var type = i < spec.Length ? spec[i++] : '\0';
        if (i != spec.Length)
            throw new JinjaRuntimeError("Invalid format specifier", "ValueError");

        string body;
        var negative = false;
        var numeric = PyTypes.IsNumber(value) && value is not bool || (value is bool && type != '\0' && type != 's');
        if (!numeric)
        {
            if (type != '\0' && type != 's')
                throw new JinjaRuntimeError($"Unknown format code '{type}' for object of type '{PyTypes.Name(value)}'", "ValueError");
            body = PyText.Str(value);
            if (precision is int p && p < body.Length)
                body = body[..p];
            if (align == '\0')
                align = '<';
            return Pad(body, fill, align, width);
        }

        if (PyTypes.IsInteger(value) && type is '\0' or 'd' or 'n' or 'b' or 'o' or 'x' or 'X' or 'c')
        {
            var n = PyTypes.ToLong(value);
            negative = n < 0;
            body = type switch
            {
                'b' => (alternate ? "0b" : "") + NumberFormatting.Integer(n, 2, false),
                'o' => (alternate ? "0o" : "") + NumberFormatting.Integer(n, 8, false),
                'x' => (alternate ? "0x" : "") + NumberFormatting.Integer(n, 16, false),
                'X' => (alternate ? "0X" : "") + NumberFormatting.Integer(n, 16, true),
                'c' => char.ConvertFromUtf32((int)n),
                _ => Group(NumberFormatting.Integer(n, 10, false), grouping),
            };
        }
        else
        {
            var d = PyTypes.ToDouble(value);
            negative = double.IsNegative(d) && !double.IsNaN(d);
            var abs = Math.Abs(d);
            switch (type)
            {
                case 'f':
                case 'F':
                    body = NumberFormatting.Fixed(abs, precision ?? 6, alternate);
                    body = GroupFixed(body, grouping);
                    if (type == 'F')
                        body = body.ToUpperInvariant();
                    break;
                case 'e':
                case 'E':
                    body = NumberFormatting.Exponent(abs, precision ?? 6, alternate, type == 'E');
                    break;
                case 'g':
                case 'G':
                case 'n':
                    body = NumberFormatting.General(abs, precision ?? 6, alternate, type == 'G');
                    break;
                case '%':
                    body = NumberFormatting.Fixed(abs * 100, precision ?? 6, alternate) + "%";
                    break;
                case '\0':
                    if (precision is int gp)
                    {
                        body = NumberFormatting.General(abs, gp, alternate, false);
                        if (!body.Contains('.') && !body.Contains('e') && !body.Contains("inf") && !body.Contains("nan"))
                            body += ".0";
                    }
                    else
                    {
                        body = GroupFixed(PyFloat.Repr(abs), grouping);
                    }
                    break;
                default:
                    throw new JinjaRuntimeError($"Unknown format code '{type}' for object of type '{PyTypes.Name(value)}'", "ValueError");
            }
        }
        var signText = negative ? "-" : sign == '+' ? "+" : sign == ' ' ? " " : "";
        if (align == '\0')
            align = '>';
        if (align == '=')
        {
            var padding = width - signText.Length - body.Length;
            return signText + (padding > 0 ? new string(fill, padding) : "") + body;
        }
        return Pad(signText + body, fill, align, width);
    }

    private static string Pad(string body, char fill, char align, int width)
    {
        var padding = width - PyStrings.Length(body);
        if (padding <= 0)
            return body;
        return align switch
        {
            '<' => body + new string(fill, padding),
            '^' => new string(fill, padding / 2) + body + new string(fill, padding - padding / 2),
            _ => new string(fill, padding) + body,
        };
    }

    private static string Group(string digits, char separator)
    {
        if (separator == '\0' || digits.Length <= 3)
            return digits;
        var sb = new System.Text.StringBuilder();
        var lead = digits.Length % 3;
        if (lead > 0)
            sb.Append(digits, 0, lead);
        for (var i = lead; i < digits.Length; i += 3)
        {
            if (sb.Length > 0)
                sb.Append(separator);
            sb.Append(digits, i, 3);
        }
        return sb.ToString();
    }

    private static string GroupFixed(string text, char separator)
    {
        if (separator == '\0')
            return text;
        var dot = text.IndexOfAny(['.', 'e']);
        return dot < 0 ? Group(text, separator) : Group(text[..dot], separator) + text[dot..];
    }
}
