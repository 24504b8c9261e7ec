using System.Globalization;
using System.Text;
using KvGrid.Templating.Runtime.Callables;
using KvGrid.Templating.Runtime.Formatting;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Methods;

/// <summary>Python <c>str</c> methods (index arguments and results count code points).</summary>
internal static class StringMethods
{
    private delegate object? Method(Interpreter interpreter, string self, Arguments args);

    private static readonly Dictionary<string, Method> Methods = new(StringComparer.Ordinal)
    {
        ["strip"] = (_, s, a) => PyStrings.Strip(s, Chars(a, "strip"), true, true),
        ["lstrip"] = (_, s, a) => PyStrings.Strip(s, Chars(a, "lstrip"), true, false),
        ["rstrip"] = (_, s, a) => PyStrings.Strip(s, Chars(a, "rstrip"), false, true),
        ["split"] = (_, s, a) => Split(s, a, fromRight: false),
        ["rsplit"] = (_, s, a) => Split(s, a, fromRight: true),
        ["splitlines"] = (_, s, a) => SplitLines(s, a.GetBool(0, "keepends", false)),
        ["startswith"] = (_, s, a) => Affix(s, a, "startswith", (x, p) => x.StartsWith(p, StringComparison.Ordinal)),
        ["endswith"] = (_, s, a) => Affix(s, a, "endswith", (x, p) => x.EndsWith(p, StringComparison.Ordinal)),
        ["upper"] = (_, s, _) => PyCase.Upper(s),
        ["lower"] = (_, s, _) => PyCase.Lower(s),
        ["casefold"] = (_, s, _) => PyCase.Lower(s).Replace("\u00DF", "ss"),
        ["swapcase"] = (_, s, _) => string.Concat(s.EnumerateRunes().Select(r => Rune.IsUpper(r) ? PyCase.Lower(r.ToString()) : Rune.IsLower(r) ? PyCase.Upper(r.ToString()) : r.ToString())),
        ["title"] = (_, s, _) => PyCase.Title(s),
        ["capitalize"] = (_, s, _) => PyCase.Capitalize(s),
        ["replace"] = (_, s, a) => Replace(s, Str(a.Required(0, "old", "replace")), Str(a.Required(1, "new", "replace")), a.GetInt(2, "count", -1, "replace")),
        ["find"] = (_, s, a) => Find(s, a, "find", fromRight: false, raise: false),
        ["rfind"] = (_, s, a) => Find(s, a, "rfind", fromRight: true, raise: false),
        ["index"] = (_, s, a) => Find(s, a, "index", fromRight: false, raise: true),
        ["rindex"] = (_, s, a) => Find(s, a, "rindex", fromRight: true, raise: true),
        ["count"] = (_, s, a) => Count(s, a),
        ["join"] = (i, s, a) => Join(s, a.Required(0, "iterable", "join")),
        ["format"] = (i, s, a) => StrFormatter.Format(s, a.Positional, a.Named, MemberAccess.GetAttribute),
        ["format_map"] = (i, s, a) => StrFormatter.Format(s, [], ToStringDictionary(a.Required(0, "mapping", "format_map")), MemberAccess.GetAttribute),
        ["isdigit"] = (_, s, _) => s.Length > 0 && s.All(char.IsDigit),
        ["isdecimal"] = (_, s, _) => s.Length > 0 && s.All(char.IsDigit),
        ["isnumeric"] = (_, s, _) => s.Length > 0 && s.All(char.IsNumber),
        ["isalpha"] = (_, s, _) => s.Length > 0 && s.All(char.IsLetter),
        ["isalnum"] = (_, s, _) => s.Length > 0 && s.All(c => char.IsLetter(c) || char.IsNumber(c)),
        ["isspace"] = (_, s, _) => s.Length > 0 && s.All(PyStrings.IsSpace),
        ["isascii"] = (_, s, _) => PyStrings.IsAsciiOnly(s),
        ["isidentifier"] = (_, s, _) => s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_'),
        ["isprintable"] = (_, s, _) => s.EnumerateRunes().All(r => PyText.IsPrintable(r.Value)),
        ["isupper"] = (_, s, _) => s.Any(IsCased) && !s.Any(char.IsLower),
        ["islower"] = (_, s, _) => s.Any(IsCased) && !s.Any(char.IsUpper),
        ["istitle"] = (_, s, _) => IsTitle(s),
        ["zfill"] = (_, s, a) => ZFill(s, (int)a.GetInt(0, "width", 0, "zfill")),
        ["center"] = (_, s, a) => Pad(s, a, "center"),
        ["ljust"] = (_, s, a) => Pad(s, a, "ljust"),
        ["rjust"] = (_, s, a) => Pad(s, a, "rjust"),
        ["partition"] = (_, s, a) => Partition(s, Str(a.Required(0, "sep", "partition")), fromRight: false),
        ["rpartition"] = (_, s, a) => Partition(s, Str(a.Required(0, "sep", "rpartition")), fromRight: true),
        ["removeprefix"] = (_, s, a) => Str(a.Required(0, "prefix", "removeprefix")) is var p && s.StartsWith(p, StringComparison.Ordinal) ? s[p.Length..] : s,
        ["removesuffix"] = (_, s, a) => Str(a.Required(0, "suffix", "removesuffix")) is var p && p.Length > 0 && s.EndsWith(p, StringComparison.Ordinal) ? s[..^p.Length] : s,
        ["expandtabs"] = (_, s, a) => ExpandTabs(s, (int)a.GetInt(0, "tabsize", 8, "expandtabs")),
    };

    public static object? Get(object? receiver, string name)
    {
        if (!Methods.TryGetValue(name, out var method))
            return null;
        var text = PyTypes.AsString(receiver)!;
        return new BoundMethod(receiver, name, (interpreter, _, args) => method(interpreter, text, args));
    }

    private static string Str(object? value) => PyTypes.AsString(value)
        ?? (value is Undefined u ? throw u.Fail() : throw new JinjaRuntimeError($"must be str, not {PyTypes.Name(value)}"));

    private static string? Chars(Arguments args, string function)
    {
        args.Check(function, 1, "chars");
        var value = args.Get(0, "chars");
        return value is null ? null : Str(value);
    }

    private static bool IsCased(char c) => char.IsUpper(c) || char.IsLower(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.TitlecaseLetter;

    private static bool IsTitle(string s)
    {
        var previousCased = false;
        var any = false;
        foreach (var c in s)
        {
            if (char.IsUpper(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.TitlecaseLetter)
            {
                if (previousCased)
                    return false;
                previousCased = true;
                any = true;
            }
            else if (char.IsLower(c))
            {
                if (!previousCased)
                    return false;
                previousCased = true;
                any = true;
            }
            else
            {
                previousCased = false;
            }
        }
        return any;
    }

    private static List<object?> Split(string s, Arguments args, bool fromRight)
    {
        var name = fromRight ? "rsplit" : "split";
        args.Check(name, 2, "sep", "maxsplit");
        var sepValue = args.Get(0, "sep");
        var maxSplit = args.GetInt(1, "maxsplit", -1, name);
        var parts = new List<string>();
        if (sepValue is null)
        {
            var words = new List<(int Start, int End)>();
            var i = 0;
            while (i < s.Length)
            {
                while (i < s.Length && PyStrings.IsSpace(s[i]))
                    i++;
                if (i >= s.Length)
                    break;
                var start = i;
                while (i < s.Length && !PyStrings.IsSpace(s[i]))
                    i++;
                words.Add((start, i));
            }
            if (maxSplit < 0 || words.Count <= maxSplit + 1)
                return words.Select(w => (object?)s[w.Start..w.End]).ToList();
            if (!fromRight)
            {
                var result = words.Take((int)maxSplit).Select(w => (object?)s[w.Start..w.End]).ToList();
                result.Add(s[words[(int)maxSplit].Start..]);
                return result;
            }
            var tail = words.Skip(words.Count - (int)maxSplit).Select(w => (object?)s[w.Start..w.End]).ToList();
            tail.Insert(0, s[..words[words.Count - (int)maxSplit - 1].End]);
            return tail;
        }
        var sep = Str(sepValue);
        if (sep.Length == 0)
            throw new JinjaRuntimeError("empty separator", "ValueError");
        if (!fromRight)
        {
            var start = 0;
            while (maxSplit < 0 || parts.Count < maxSplit)
            {
                var found = s.IndexOf(sep, start, StringComparison.Ordinal);
                if (found < 0)
                    break;
                parts.Add(s[start..found]);
                start = found + sep.Length;
            }
            parts.Add(s[start..]);
            return parts.Cast<object?>().ToList();
        }
        var end = s.Length;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            var found = end - sep.Length < 0 ? -1 : s.LastIndexOf(sep, end - 1, end, StringComparison.Ordinal);
            if (found < 0)
                break;
            parts.Add(s[(found + sep.Length)..end]);
            end = found;
        }
        parts.Add(s[..end]);
        parts.Reverse();
        return parts.Cast<object?>().ToList();
    }

    /// <summary>Python's <c>str.splitlines</c> line boundaries.</summary>
    public static List<object?> SplitLines(string s, bool keepEnds)
    {
        var lines = new List<object?>();
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')
            {
                var eol = i + (c == '\r' && i + 1 < s.Length && s[i + 1] == '\n' ? 2 : 1);
                lines.Add(s[start..(keepEnds ? eol : i)]);
                start = i = eol;
            }
            else
            {
                i++;
            }
        }
        if (start < s.Length)
            lines.Add(s[start..]);
        return lines;
    }

    private static bool Affix(string s, Arguments args, string function, Func<string, string, bool> test)
    {
        var affix = args.Required(0, "prefix", function);
        var start = args.Count > 1 && args.Positional[1] is not null ? (int)PyTypes.ToLong(args.Positional[1]) : 0;
        var end = args.Count > 2 && args.Positional[2] is not null ? (int)PyTypes.ToLong(args.Positional[2]) : s.Length;
        var (from, to) = Range(s.Length, start, end);
        var window = from <= to ? s[from..to] : null;
        if (window is null)
            return false;
        if (affix is PyTuple tuple)
            return tuple.Items.Any(item => test(window, Str(item)));
        if (!PyTypes.IsString(affix))
            throw new JinjaRuntimeError($"{function} first arg must be str or a tuple of str, not {PyTypes.Name(affix)}");
        return test(window, Str(affix));
    }

    private static (int From, int To) Range(int length, long start, long end)
    {
        if (start < 0)
            start = Math.Max(0, start + length);
        if (end < 0)
            end = Math.Max(0, end + length);
        return ((int)Math.Min(start, length), (int)Math.Min(end, length));
    }

    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0)
        {
            if (old.Length > 0)
                return s.Replace(old, replacement, StringComparison.Ordinal);
            count = long.MaxValue;
        }
        var sb = new StringBuilder();
        var done = 0L;
        if (old.Length == 0)
        {
            var points = PyStrings.CodePoints(s);
            foreach (var point in points)
            {
                if (done < count)
                {
                    sb.Append(replacement);
                    done++;
                }
                sb.Append(point);
            }
            if (done < count)
                sb.Append(replacement);
            return sb.ToString();
        }
        var start = 0;
        while (done < count)
        {
            var found = s.IndexOf(old, start, StringComparison.Ordinal);
            if (found < 0)
                break;
            sb.Append(s, start, found - start).Append(replacement);
            start = found + old.Length;
            done++;
        }
        sb.Append(s, start, s.Length - start);
        return sb.ToString();
    }

    private static object Find(string s, Arguments args, string function, bool fromRight, bool raise)
    {
        var sub = Str(args.Required(0, "sub", function));
        var (from, to) = CodeUnitRange(s, args);
        var index = -1;
        if (from <= to && to - from >= sub.Length)
        {
            index = fromRight
                ? s.LastIndexOf(sub, to - 1 < 0 ? 0 : to - 1, to - from, StringComparison.Ordinal)
                : s.IndexOf(sub, from, to - from, StringComparison.Ordinal);
            if (sub.Length == 0)
                index = fromRight ? to : from;
            if (index >= 0 && index + sub.Length > to)
                index = -1;
        }
        if (index < 0)
        {
            if (raise)
                throw new JinjaRuntimeError("substring not found", "ValueError");
            return -1L;
        }
        return (long)CodePointIndex(s, index);
    }

    private static (int From, int To) CodeUnitRange(string s, Arguments args)
    {
        var length = PyStrings.Length(s);
        var start = args.Count > 1 && args.Positional[1] is not null ? PyTypes.ToLong(args.Positional[1]) : 0;
        var end = args.Count > 2 && args.Positional[2] is not null ? PyTypes.ToLong(args.Positional[2]) : length;
        var (from, to) = Range(length, start, end);
        return (CodeUnitIndex(s, from), CodeUnitIndex(s, to));
    }

    private static int CodeUnitIndex(string s, int codePointIndex)
    {
        if (!PyStrings.HasSurrogates(s))
            return codePointIndex;
        var i = 0;
        for (var n = 0; n < codePointIndex && i < s.Length; n++)
            i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
        return i;
    }

    private static int CodePointIndex(string s, int codeUnitIndex)
    {
        if (!PyStrings.HasSurrogates(s))
            return codeUnitIndex;
        var n = 0;
        for (var i = 0; i < codeUnitIndex; n++)
            i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
        return n;
    }

    private static object Count(string s, Arguments args)
    {
        var sub = Str(args.Required(0, "sub", "count"));
        var (from, to) = CodeUnitRange(s, args);
        if (from > to)
            return 0L;
        if (sub.Length == 0)
            return (long)(PyStrings.Length(s[from..to]) + 1);
        long count = 0;
        var i = from;
        while (true)
        {
            var found = s.IndexOf(sub, i, to - i, StringComparison.Ordinal);
            if (found < 0)
                return count;
            count++;
            i = found + sub.Length;
        }
    }

    private static string Join(string separator, object? iterable)
    {
        var sb = new StringBuilder();
        var index = 0;
        foreach (var item in PyIteration.Iterate(iterable))
        {
            var text = PyTypes.AsString(item)
                ?? throw new JinjaRuntimeError($"sequence item {index}: expected str instance, {PyTypes.Name(item)} found");
            if (index > 0)
                sb.Append(separator);
            sb.Append(text);
            index++;
        }
        return sb.ToString();
    }

    private static Dictionary<string, object?> ToStringDictionary(object? mapping)
    {
        if (mapping is not PyDict dict)
            throw new JinjaRuntimeError($"'{PyTypes.Name(mapping)}' object is not a mapping");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in dict.Items)
        {
            if (pair.Key is string key)
                result[key] = pair.Value;
        }
        return result;
    }

    private static string ZFill(string s, int width)
    {
        var length = PyStrings.Length(s);
        if (length >= width)
            return s;
        var sign = s.Length > 0 && s[0] is '+' or '-' ? s[..1] : "";
        return sign + new string('0', width - length) + s[sign.Length..];
    }

    private static string Pad(string s, Arguments args, string function)
    {
        var width = (int)args.GetInt(0, "width", 0, function);
        var fill = args.GetString(1, "fillchar", " ")!;
        if (PyStrings.Length(fill) != 1)
            throw new JinjaRuntimeError("The fill character must be exactly one character long");
        return Justify(s, width, fill, function);
    }

    /// <summary>Python's ljust/rjust/center with a one-character fill.</summary>
    public static string Justify(string s, int width, string fill, string function)
    {
        var length = PyStrings.Length(s);
        if (length >= width)
            return s;
        var total = width - length;
        string Repeat(int n) => string.Concat(Enumerable.Repeat(fill, n));
        return function switch
        {
            "ljust" => s + Repeat(total),
            "rjust" => Repeat(total) + s,
            // CPython's centering puts the extra character on the left when both the string and padding are odd.
            _ => Repeat(total / 2 + (total & width & 1)) + s + Repeat(total - (total / 2 + (total & width & 1))),
        };
    }

    private static PyTuple Partition(string s, string sep, bool fromRight)
    {
        if (sep.Length == 0)
            throw new JinjaRuntimeError("empty separator", "ValueError");
        var index = fromRight ? s.LastIndexOf(sep, StringComparison.Ordinal) : s.IndexOf(sep, StringComparison.Ordinal);
        if (index < 0)
            return fromRight ? new PyTuple(["", "", s]) : new PyTuple([s, "", ""]);
        return new PyTuple([s[..index], sep, s[(index + sep.Length)..]]);
    }

    private static string ExpandTabs(string s, int tabSize)
    {
        var sb = new StringBuilder();
        var column = 0;
        foreach (var c in s)
        {
            if (c == '\t')
            {
                if (tabSize > 0)
                {
                    var spaces = tabSize - column % tabSize;
                    sb.Append(' ', spaces);
                    column += spaces;
                }
            }
            else
            {
                sb.Append(c);
                column = c is '\n' or '\r' ? 0 : column + 1;
            }
        }
        return sb.ToString();
    }
}
