namespace KvGrid.Deployment.Tests.Dashboards;

/// <summary>
/// Just enough PromQL lexing to list the metric names an expression selects: identifiers outside label matchers
/// ({...}), ranges ([...]), strings and grouping label lists (by/without/on/ignoring/group_left/group_right (...)),
/// that are neither keywords nor function calls. Grafana variables ($name, ${name}) are skipped.
/// </summary>
public static class PromQl
{
    static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "atan2",
        "inf", "nan", "Inf", "NaN",
        // Aggregation operators may be followed by a grouping clause instead of '(' (max by (x) (...)).
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio",
    };

    static readonly HashSet<string> Grouping = new(StringComparer.Ordinal) { "by", "without", "on", "ignoring", "group_left", "group_right" };

    public static IReadOnlyList<string> MetricNames(string expr)
    {
        var names = new List<string>();
        var i = 0;
        while (i < expr.Length)
        {
            var c = expr[i];
            if (c is '"' or '\'' or '`') { i = SkipString(expr, i); continue; }
            if (c == '{') { i = SkipTo(expr, i, '{', '}'); continue; }
            if (c == '[') { i = SkipTo(expr, i, '[', ']'); continue; }
            if (c == '$') { i++; if (i < expr.Length && expr[i] == '{') i = SkipTo(expr, i, '{', '}'); else while (i < expr.Length && IsIdentPart(expr[i])) i++; continue; }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < expr.Length && char.IsAsciiDigit(expr[i + 1])))
            {
                // Numbers, including 1e-3 and 0x1F.
                while (i < expr.Length && (char.IsAsciiLetterOrDigit(expr[i]) || expr[i] == '.' || ((expr[i] is '-' or '+') && expr[i - 1] is 'e' or 'E'))) i++;
                continue;
            }
            if (IsIdentStart(c))
            {
                var start = i;
                while (i < expr.Length && IsIdentPart(expr[i])) i++;
                var ident = expr[start..i];
                var next = i;
                while (next < expr.Length && char.IsWhiteSpace(expr[next])) next++;
                var isCall = next < expr.Length && expr[next] == '(';
                if (Grouping.Contains(ident) && isCall) { i = SkipTo(expr, next, '(', ')'); continue; }
                if (!isCall && !Keywords.Contains(ident)) names.Add(ident);
                continue;
            }
            i++;
        }
        return names;
    }

    /// <summary>The Grafana variables an expression references: $name and ${name} (builtins start with __).</summary>
    public static IReadOnlyList<string> Variables(string expr)
    {
        var vars = new List<string>();
        for (var i = 0; i < expr.Length; i++)
        {
            if (expr[i] != '$') continue;
            var j = i + 1;
            var braced = j < expr.Length && expr[j] == '{';
            if (braced) j++;
            var start = j;
            while (j < expr.Length && IsIdentPart(expr[j]) && expr[j] != ':') j++;
            if (j > start) vars.Add(expr[start..j]);
            i = j;
        }
        return vars;
    }

    static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';
    static bool IsIdentPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';

    static int SkipString(string s, int i)
    {
        var quote = s[i++];
        while (i < s.Length && s[i] != quote) i += s[i] == '\\' && quote != '`' ? 2 : 1;
        return i + 1;
    }

    static int SkipTo(string s, int i, char open, char close)
    {
        var depth = 0;
        for (; i < s.Length; i++)
        {
            if (s[i] is '"' or '\'' or '`') { i = SkipString(s, i) - 1; continue; }
            if (s[i] == open) depth++;
            else if (s[i] == close && --depth == 0) return i + 1;
        }
        throw new FormatException($"unbalanced '{open}' in PromQL: {s}");
    }
}
