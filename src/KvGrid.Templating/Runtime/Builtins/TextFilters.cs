using System.Text;
using System.Text.RegularExpressions;
using KvGrid.Templating.Runtime.Formatting;
using KvGrid.Templating.Runtime.Methods;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Builtins;

/// <summary>String filters: trim, upper, lower, title, capitalize, replace, indent, center, truncate, wordcount, format, escape, safe, striptags.</summary>
internal static partial class Filters
{
    private static readonly Regex TitleSplit = new(@"([-\s({\[<]+)", RegexOptions.Compiled);
    private static readonly Regex WordPattern = new(@"\w+", RegexOptions.Compiled);

    private static void RegisterText()
    {
        Add("trim", (_, v, a) =>
        {
            a.Check("trim", 1, "chars");
            var chars = a.Get(0, "chars");
            return PyStrings.Strip(SoftStr(v), chars is null ? null : SoftStr(chars), true, true);
        });
        Add("upper", (_, v, _) => PyCase.Upper(SoftStr(v)));
        Add("lower", (_, v, _) => PyCase.Lower(SoftStr(v)));
        Add("capitalize", (_, v, _) => PyCase.Capitalize(SoftStr(v)));
        // jinja2's do_title: upper-case the first character of each chunk split at whitespace, -, (, {, [, <.
        Add("title", (_, v, _) => string.Concat(TitleSplit.Split(SoftStr(v)).Where(p => p.Length > 0).Select(p => PyCase.Upper(p[..1]) + PyCase.Lower(p[1..]))));
        Add("replace", (_, v, a) =>
        {
            a.Check("replace", 3, "old", "new", "count");
            var count = a.Get(2, "count");
            return StringMethods.Replace(SoftStr(v), SoftStr(a.Required(0, "old", "replace")), SoftStr(a.Required(1, "new", "replace")), count is null ? -1 : PyTypes.ToLong(count));
        });
        Add("indent", (_, v, a) => Indent(SoftStr(v), a));
        Add("center", (_, v, a) =>
        {
            var width = a.GetInt(0, "width", 80, "center");
            return StringMethods.Justify(SoftStr(v), (int)width, " ", "center");
        });
        Add("truncate", (_, v, a) => Truncate(SoftStr(v), a));
        Add("wordcount", (_, v, _) => (long)WordPattern.Matches(SoftStr(v)).Count);
        Add("format", (_, v, a) =>
        {
            if (a.Count > 0 && a.Named.Count > 0)
                throw new JinjaRuntimeError("can't handle positional and keyword arguments at the same time", "FilterArgumentError");
            object? args;
            if (a.Named.Count > 0)
            {
                var dict = new PyDict();
                foreach (var pair in a.Named)
                    dict.Set(pair.Key, pair.Value);
                args = dict;
            }
            else
            {
                args = new PyTuple(a.Positional.ToArray());
            }
            return PercentFormatter.Format(SoftStr(v), args);
        });
        Add("escape", (_, v, _) => v is Markup ? v : new Markup(HtmlEscaping.Escape(SoftStr(v))));
        Table["e"] = Table["escape"];
        Add("forceescape", (_, v, _) => new Markup(HtmlEscaping.Escape(SoftStr(v))));
        Add("safe", (_, v, _) => v is Markup ? v : new Markup(SoftStr(v)));
        Add("striptags", (_, v, _) => StripTags(SoftStr(v)));
        Add("string", (_, v, _) => v is Markup ? v : SoftStr(v));
        Add("pprint", (_, v, _) => PyText.Repr(v));
        Add("filesizeformat", (_, v, a) => FileSizeFormat(v, a.GetBool(0, "binary", false)));
    }

    private static string Indent(string s, Arguments a)
    {
        a.Check("indent", 3, "width", "first", "blank");
        var width = a.Get(0, "width", 4L);
        var indentation = PyTypes.AsString(width) ?? new string(' ', (int)Math.Max(0, PyTypes.ToLong(width)));
        var first = a.GetBool(1, "first", false);
        var blank = a.GetBool(2, "blank", false);
        s += "\n";
        var lines = StringMethods.SplitLines(s, false).Cast<string>().ToList();
        string result;
        if (blank)
        {
            result = string.Join("\n" + indentation, lines);
        }
        else
        {
            result = lines[0];
            if (lines.Count > 1)
                result += "\n" + string.Join("\n", lines.Skip(1).Select(line => line.Length > 0 ? indentation + line : line));
        }
        return first ? indentation + result : result;
    }

    private static string Truncate(string s, Arguments a)
    {
        a.Check("truncate", 4, "length", "killwords", "end", "leeway");
        var length = a.GetInt(0, "length", 255, "truncate");
        var killWords = a.GetBool(1, "killwords", false);
        var end = a.GetString(2, "end", "...")!;
        var leeway = a.Get(3, "leeway") is { } l ? PyTypes.ToLong(l) : 5;
        var endLength = PyStrings.Length(end);
        if (length < endLength)
            throw new JinjaRuntimeError($"expected length >= {endLength}, got {length}", "AssertionError");
        if (leeway < 0)
            throw new JinjaRuntimeError($"expected leeway >= 0, got {leeway}", "AssertionError");
        var points = PyStrings.CodePoints(s);
        if (points.Count <= length + leeway)
            return s;
        var head = string.Concat(points.Take((int)(length - endLength)));
        if (killWords)
            return head + end;
        var space = head.LastIndexOf(' ');
        return (space >= 0 ? head[..space] : head) + end;
    }

    private static string StripTags(string s)
    {
        s = Regex.Replace(s, "<!--.*?-->", "", RegexOptions.Singleline);
        s = Regex.Replace(s, "<.*?>", "", RegexOptions.Singleline);
        s = string.Join(" ", s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return System.Net.WebUtility.HtmlDecode(s);
    }

    private static string FileSizeFormat(object? value, bool binary)
    {
        var bytes = PyTypes.AsString(value) is { } text ? double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : PyTypes.ToDouble(value);
        var unit = binary ? 1024.0 : 1000.0;
        string[] prefixes = binary ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"] : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
        if (bytes == 1)
            return "1 Byte";
        if (bytes < unit)
            return $"{(long)bytes} Bytes";
        var result = "";
        for (var i = 0; i < prefixes.Length; i++)
        {
            var next = Math.Pow(unit, i + 2);
            result = NumberFormatting.Fixed(unit * bytes / next, 1, false) + " " + prefixes[i];
            if (bytes < next)
                return result;
        }
        return result;
    }
}
