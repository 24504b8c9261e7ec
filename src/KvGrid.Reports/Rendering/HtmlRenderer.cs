using System.Net;
using System.Text;

namespace KvGrid.Reports.Rendering;

/// <summary>
/// Renders the report document as one self-contained index.html (inline CSS, no scripts), with the same tables
/// as report.md and the PNGs referenced by relative path.
/// </summary>
public static class HtmlRenderer
{
    const string Style = "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
        + "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        + "th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}img{max-width:100%;display:block;margin:1em 0}"
        + "code{background:#f4f4f4;padding:0 3px}";

    public static string Render(ReportDocument doc)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(doc.Title))
            .Append("</title><style>").Append(Style).Append("</style></head><body>\n");
        html.Append("<h1>").Append(E(doc.Title)).Append("</h1>\n");
        foreach (var section in doc.Sections)
        {
            html.Append("<h2>").Append(E(section.Title)).Append("</h2>\n");
            foreach (var block in section.Blocks) Block(html, block);
        }
        return html.Append("</body></html>\n").ToString();
    }

    static void Block(StringBuilder html, Block block)
    {
        switch (block)
        {
            case Paragraph p: html.Append("<p>").Append(Code(E(p.Text))).Append("</p>\n"); break;
            case Bullets b:
                html.Append("<ul>");
                foreach (var item in b.Items) html.Append("<li>").Append(Code(E(item))).Append("</li>");
                html.Append("</ul>\n");
                break;
            case Image i:
                html.Append("<img src=\"").Append(E(i.File)).Append("\" alt=\"").Append(E(i.Alt)).Append("\" width=\"800\" height=\"500\">\n");
                break;
            case TableBlock t: Table(html, t.Table); break;
        }
    }

    static void Table(StringBuilder html, ReportTable t)
    {
        html.Append("<h3>").Append(E(t.Title)).Append(" <small>(<a href=\"").Append(E(t.CsvFile)).Append("\">")
            .Append(E(t.CsvFile)).Append("</a>)</small></h3>\n");
        if (t.Rows.Count == 0) { html.Append("<p><em>No rows.</em></p>\n"); return; }
        html.Append("<table><thead><tr>");
        foreach (var c in t.Columns) html.Append("<th>").Append(E(c)).Append("</th>");
        html.Append("</tr></thead><tbody>\n");
        foreach (var row in t.Rows.Take(ReportDocument.MaxInlineRows))
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append("<td>").Append(E(CellText.Display(cell))).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table>\n");
        if (t.Rows.Count > ReportDocument.MaxInlineRows)
            html.Append("<p><em>First ").Append(ReportDocument.MaxInlineRows).Append(" of ").Append(t.Rows.Count).Append(" rows; all in the CSV.</em></p>\n");
    }

    static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>`code` spans of the Markdown text, for the paragraphs shared with report.md.</summary>
    static string Code(string encoded)
    {
        var parts = encoded.Split('`');
        var sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.Length; i++) sb.Append(i % 2 == 1 ? "<code>" : "</code>").Append(parts[i]);
        if (parts.Length % 2 == 0) sb.Append("</code>");
        return sb.ToString();
    }
}
