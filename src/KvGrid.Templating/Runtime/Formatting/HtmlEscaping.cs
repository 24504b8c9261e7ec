using System.Text;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Formatting;

/// <summary>markupsafe's <c>escape</c>: &amp; &lt; &gt; " ' become entities.</summary>
internal static class HtmlEscaping
{
    public static string Escape(string s)
    {
        if (s.AsSpan().IndexOfAny("&<>\"'") < 0)
            return s;
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&#34;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>Text of a value for a Markup context: Markup stays as is, anything else is str()'d and escaped.</summary>
    public static string EscapeUnlessMarkup(object? value) => value is Markup m ? m.Value : Escape(PyText.Str(value));
}
