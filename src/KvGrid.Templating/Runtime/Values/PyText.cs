using System.Globalization;
using System.Text;
using KvGrid.Templating.Runtime.Callables;

namespace KvGrid.Templating.Runtime.Values;

/// <summary>Python's <c>str()</c> and <c>repr()</c> of runtime values.</summary>
internal static class PyText
{
    public static string Str(object? value) => value switch
    {
        string s => s,
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => PyFloat.Repr(d),
        Markup m => m.Value,
        Undefined => "",
        _ => Repr(value),
    };

    public static string Repr(object? value)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, value);
        return sb.ToString();
    }

    public static void AppendRepr(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case string s:
                AppendStringRepr(sb, s);
                break;
            case Markup m:
                sb.Append("Markup(");
                AppendStringRepr(sb, m.Value);
                sb.Append(')');
                break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                        sb.Append(", ");
                    AppendRepr(sb, list[i]);
                }
                sb.Append(']');
                break;
            case PyTuple { FieldNames: not null } named:
                sb.Append(named.TypeName).Append('(');
                for (var i = 0; i < named.Count; i++)
                {
                    if (i > 0)
                        sb.Append(", ");
                    sb.Append(named.FieldNames[i]).Append('=');
                    AppendRepr(sb, named[i]);
                }
                sb.Append(')');
                break;
            case PyTuple tuple:
                sb.Append('(');
                for (var i = 0; i < tuple.Count; i++)
                {
                    if (i > 0)
                        sb.Append(", ");
                    AppendRepr(sb, tuple[i]);
                }
                sb.Append(tuple.Count == 1 ? ",)" : ")");
                break;
            case PyDict dict:
                sb.Append('{');
                var first = true;
                foreach (var pair in dict.Items)
                {
                    if (!first)
                        sb.Append(", ");
                    first = false;
                    AppendRepr(sb, pair.Key);
                    sb.Append(": ");
                    AppendRepr(sb, pair.Value);
                }
                sb.Append('}');
                break;
            case Undefined:
                sb.Append("Undefined");
                break;
            case PyGenerator generator:
                sb.Append(generator.Repr());
                break;
            case Namespace ns:
                sb.Append("<Namespace {");
                var firstAttr = true;
                foreach (var pair in ns.Attributes)
                {
                    if (!firstAttr)
                        sb.Append(", ");
                    firstAttr = false;
                    AppendStringRepr(sb, pair.Key);
                    sb.Append(": ");
                    AppendRepr(sb, pair.Value);
                }
                sb.Append("}>");
                break;
            case LoopContext loop:
                sb.Append("<LoopContext ").Append(loop.Index0 + 1).Append('/').Append(loop.Length).Append('>');
                break;
            case Macro macro:
                sb.Append("<Macro '").Append(macro.Name).Append("'>");
                break;
            case IPyCallable callable:
                sb.Append("<built-in function ").Append(callable.Name).Append('>');
                break;
            default:
                sb.Append(Str(value));
                break;
        }
    }

    /// <summary>Python's <c>unicode_repr</c>: prefers single quotes, escapes non-printable characters.</summary>
    public static void AppendStringRepr(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        foreach (var rune in s.EnumerateRunes())
        {
            var c = rune.Value;
            if (c == quote || c == '\\')
                sb.Append('\\').Append((char)c);
            else if (c == '\t')
                sb.Append("\\t");
            else if (c == '\n')
                sb.Append("\\n");
            else if (c == '\r')
                sb.Append("\\r");
            else if (c < ' ' || c == 0x7f)
                sb.Append("\\x").Append(c.ToString("x2", CultureInfo.InvariantCulture));
            else if (c < 0x7f || IsPrintable(c))
                sb.Append(rune.ToString());
            else if (c <= 0xff)
                sb.Append("\\x").Append(c.ToString("x2", CultureInfo.InvariantCulture));
            else if (c <= 0xffff)
                sb.Append("\\u").Append(c.ToString("x4", CultureInfo.InvariantCulture));
            else
                sb.Append("\\U").Append(c.ToString("x8", CultureInfo.InvariantCulture));
        }
        // Lone surrogates are replaced by EnumerateRunes; Python would print them as \udXXX.
        sb.Append(quote);
    }

    /// <summary>Python's <c>str.isprintable</c> for one code point.</summary>
    public static bool IsPrintable(int codePoint)
    {
        if (codePoint == ' ')
            return true;
        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }
}
