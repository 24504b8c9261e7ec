using System.Text;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Formatting;

/// <summary>Python's printf-style <c>str % args</c> (flags, width, precision, %(name)s, s r a d i u o x X e E f F g G c %).</summary>
internal static class PercentFormatter
{
    public static object Format(string format, object? args)
    {
        var positional = args is PyTuple tuple ? tuple.Items : [args];
        var mapping = args as PyDict;
        // CPython treats any non-tuple, non-str argument with __getitem__ as a mapping: no "not all
        // arguments converted" error for it.
        var mappingLike = mapping is not null || args is List<object?> or Undefined or PyGenerator;
        var next = 0;
        var sb = new StringBuilder(format.Length + 16);
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i++];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            if (i >= format.Length)
                throw new JinjaRuntimeError("incomplete format", "ValueError");

            object? value = null;
            var hasValue = false;
            if (format[i] == '(')
            {
                if (mapping is null)
                    throw new JinjaRuntimeError("format requires a mapping");
                var depth = 1;
                var start = ++i;
                while (i < format.Length && depth > 0)
                {
                    if (format[i] == '(')
                        depth++;
                    else if (format[i] == ')')
                        depth--;
                    i++;
                }
                if (depth > 0)
                    throw new JinjaRuntimeError("incomplete format key", "ValueError");
                var key = format[start..(i - 1)];
                if (!mapping.TryGet(key, out value))
                    throw new JinjaRuntimeError(PyText.Repr(key), "KeyError");
                hasValue = true;
            }

            var spec = new Spec();
            while (i < format.Length && "-+ #0".Contains(format[i]))
            {
                switch (format[i++])
                {
                    case '-': spec.Left = true; break;
                    case '+': spec.Sign = '+'; break;
                    case ' ': if (spec.Sign != '+') spec.Sign = ' '; break;
                    case '#': spec.Alternate = true; break;
                    case '0': spec.Zero = true; break;
                }
            }
            spec.Width = ReadNumber(format, ref i, () => TakeInt(positional, ref next));
            if (spec.Width < 0)
            {
                spec.Left = true;
                spec.Width = -spec.Width;
            }
            if (i < format.Length && format[i] == '.')
            {
                i++;
                spec.Precision = Math.Max(0, ReadNumber(format, ref i, () => TakeInt(positional, ref next)) ?? 0);
            }
            while (i < format.Length && "hlL".Contains(format[i]))
                i++;
            if (i >= format.Length)
                throw new JinjaRuntimeError("incomplete format", "ValueError");
            var type = format[i++];
            if (type == '%')
            {
                sb.Append('%');
                continue;
            }
            if (!hasValue)
            {
                if (mapping is not null && args is not PyTuple)
                    value = args;
                else if (next < positional.Length)
                    value = positional[next++];
                else
                    throw new JinjaRuntimeError("not enough arguments for format string");
            }
            sb.Append(FormatOne(type, value, spec));
        }
        if (!mappingLike && next < positional.Length)
            throw new JinjaRuntimeError("not all arguments converted during string formatting");
        return sb.ToString();
    }

    private sealed class Spec
    {
        public bool Left;
        public char Sign;
        public bool Alternate;
        public bool Zero;
        public int? Width;
        public int? Precision;
    }

    private static int? ReadNumber(string format, ref int i, Func<long> star)
    {
        if (i < format.Length && format[i] == '*')
        {
            i++;
            return (int)star();
        }
        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
            i++;
        return i > start ? int.Parse(format[start..i], System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static long TakeInt(object?[] positional, ref int next)
    {
        if (next >= positional.Length)
            throw new JinjaRuntimeError("not enough arguments for format string");
        var value = positional[next++];
        return PyTypes.IsInteger(value) ? PyTypes.ToLong(value) : throw new JinjaRuntimeError("* wants int");
    }

    private static string FormatOne(char type, object? value, Spec spec)
    {
        if (value is Undefined undefined && type is not ('s' or 'r' or 'a'))
            throw undefined.Fail();
        string body;
        var negative = false;
        var numeric = true;
        switch (type)
        {
            case 's':
            case 'r':
            case 'a':
                body = type == 's' ? PyText.Str(value) : PyText.Repr(value);
                if (spec.Precision is int p && p < body.Length)
                    body = body[..p];
                numeric = false;
                break;
            case 'd':
            case 'i':
            case 'u':
                var integer = ToInteger(value, type);
                negative = integer < 0;
                body = NumberFormatting.Integer(integer, 10, false);
                if (spec.Precision is int dp)
                    body = body.PadLeft(dp, '0');
                break;
            case 'o':
            case 'x':
            case 'X':
                if (!PyTypes.IsInteger(value))
                    throw new JinjaRuntimeError($"%{type} format: an integer is required, not {PyTypes.Name(value)}");
                var whole = PyTypes.ToLong(value);
                negative = whole < 0;
                body = NumberFormatting.Integer(whole, type == 'o' ? 8 : 16, type == 'X');
                if (spec.Precision is int xp)
                    body = body.PadLeft(xp, '0');
                if (spec.Alternate)
                    body = (type == 'o' ? "0o" : type == 'x' ? "0x" : "0X") + body;
                break;
            case 'e':
            case 'E':
            case 'f':
            case 'F':
            case 'g':
            case 'G':
                if (!PyTypes.IsNumber(value))
                    throw new JinjaRuntimeError($"must be real number, not {PyTypes.Name(value)}");
                var d = PyTypes.ToDouble(value);
                negative = double.IsNegative(d) && !double.IsNaN(d);
                var precision = spec.Precision ?? 6;
                body = char.ToLowerInvariant(type) switch
                {
                    'e' => NumberFormatting.Exponent(Math.Abs(d), precision, spec.Alternate, type == 'E'),
                    'f' => NumberFormatting.Fixed(Math.Abs(d), precision, spec.Alternate),
                    _ => NumberFormatting.General(Math.Abs(d), precision, spec.Alternate, type == 'G'),
                };
                if (type == 'F')
                    body = body.ToUpperInvariant();
                break;
            case 'c':
                numeric = false;
                if (PyTypes.IsInteger(value))
                    body = char.ConvertFromUtf32((int)PyTypes.ToLong(value));
                else if (PyTypes.AsString(value) is { } s && PyStrings.Length(s) == 1)
                    body = s;
                else
                    throw new JinjaRuntimeError("%c requires int or char");
                break;
            default:
                throw new JinjaRuntimeError($"unsupported format character '{type}' (0x{(int)type:x})", "ValueError");
        }

        var sign = numeric ? (negative ? "-" : spec.Sign == '\0' ? "" : spec.Sign.ToString()) : "";
        var width = spec.Width ?? 0;
        var length = sign.Length + body.Length;
        if (length >= width)
            return sign + body;
        if (spec.Left)
            return sign + body + new string(' ', width - length);
        if (spec.Zero && numeric)
        {
            var prefixLength = body.StartsWith("0x") || body.StartsWith("0X") || body.StartsWith("0o") ? 2 : 0;
            return sign + body[..prefixLength] + new string('0', width - length) + body[prefixLength..];
        }
        return new string(' ', width - length) + sign + body;
    }

    private static long ToInteger(object? value, char type) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d when double.IsFinite(d) => (long)Math.Truncate(d),
        double => throw new JinjaRuntimeError("cannot convert float infinity or NaN to integer", "OverflowError"),
        _ => throw new JinjaRuntimeError($"%{type} format: a real number is required, not {PyTypes.Name(value)}"),
    };
}
