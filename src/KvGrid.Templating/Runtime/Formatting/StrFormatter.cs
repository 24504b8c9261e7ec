using System.Globalization;
using System.Text;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Formatting;

/// <summary>
/// Python's <c>str.format</c>: <c>{}</c>, <c>{0}</c>, <c>{name}</c>, <c>{0.attr}</c>, <c>{0[key]}</c>, <c>!r/!s</c>
/// conversions and the format-spec mini-language.
/// </summary>
internal static class StrFormatter
{
    public static string Format(string format, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, Func<object?, string, object?> getAttribute)
    {
        var sb = new StringBuilder(format.Length + 16);
        var autoIndex = 0;
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c == '{')
            {
                if (i + 1 < format.Length && format[i + 1] == '{')
                {
                    sb.Append('{');
                    i += 2;
                    continue;
                }
                var end = FindFieldEnd(format, i + 1);
                var field = format[(i + 1)..end];
                i = end + 1;
                sb.Append(RenderField(field, args, kwargs, getAttribute, ref autoIndex));
            }
            else if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}')
                {
                    sb.Append('}');
                    i += 2;
                    continue;
                }
                throw new JinjaRuntimeError("Single '}' encountered in format string", "ValueError");
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }
        return sb.ToString();
    }

    private static int FindFieldEnd(string format, int start)
    {
        var depth = 1;
        for (var i = start; i < format.Length; i++)
        {
            if (format[i] == '{')
                depth++;
            else if (format[i] == '}' && --depth == 0)
                return i;
        }
        throw new JinjaRuntimeError("expected '}' before end of string", "ValueError");
    }

    private static string RenderField(string field, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, Func<object?, string, object?> getAttribute, ref int autoIndex)
    {
        string spec = "";
        char conversion = '\0';
        var colon = field.IndexOf(':');
        if (colon >= 0)
        {
            spec = field[(colon + 1)..];
            field = field[..colon];
        }
        var bang = field.IndexOf('!');
        if (bang >= 0)
        {
            if (bang + 2 != field.Length)
                throw new JinjaRuntimeError("expected ':' after conversion specifier", "ValueError");
            conversion = field[bang + 1];
            field = field[..bang];
        }
        var nameEnd = field.IndexOfAny(['.', '[']);
        var head = nameEnd < 0 ? field : field[..nameEnd];
        object? value;
        if (head.Length == 0)
        {
            value = autoIndex < args.Count ? args[autoIndex] : throw new JinjaRuntimeError($"Replacement index {autoIndex} out of range for positional args tuple", "IndexError");
            autoIndex++;
        }
        else if (int.TryParse(head, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            value = index < args.Count ? args[index] : throw new JinjaRuntimeError($"Replacement index {index} out of range for positional args tuple", "IndexError");
        }
        else if (!kwargs.TryGetValue(head, out value))
        {
            throw new JinjaRuntimeError(PyText.Repr(head), "KeyError");
        }
        var rest = nameEnd < 0 ? "" : field[nameEnd..];
        var pos = 0;
        while (pos < rest.Length)
        {
            if (rest[pos] == '.')
            {
                var stop = rest.IndexOfAny(['.', '['], pos + 1);
                if (stop < 0)
                    stop = rest.Length;
                value = getAttribute(value, rest[(pos + 1)..stop]);
                pos = stop;
            }
            else
            {
                var close = rest.IndexOf(']', pos);
                if (close < 0)
                    throw new JinjaRuntimeError("Missing ']' in format string", "ValueError");
                var key = rest[(pos + 1)..close];
                object keyValue = long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : key;
                value = Subscript(value, keyValue);
                pos = close + 1;
            }
        }
        if (value is Undefined undefined)
            throw undefined.Fail();
        value = conversion switch
        {
            '\0' => value,
            's' => PyText.Str(value),
            'r' or 'a' => PyText.Repr(value),
            _ => throw new JinjaRuntimeError($"Unknown conversion specifier {conversion}", "ValueError"),
        };
        if (spec.Contains('{'))
            spec = Format(spec, args, kwargs, getAttribute);
        return FormatSpec.Apply(value, spec);
    }

    private static object? Subscript(object? value, object key)
    {
        switch (value)
        {
            case PyDict dict when dict.TryGet(key, out var found):
                return found;
            case IReadOnlyList<object?> list when key is long n && n < list.Count:
                return list[(int)n];
            case List<object?> list2 when key is long n2 && n2 < list2.Count:
                return list2[(int)n2];
            default:
                throw new JinjaRuntimeError(PyText.Repr(key), "KeyError");
        }
    }
}
