using System.Text;

namespace KvGrid.Reports.Rendering;

/// <summary>Renders the report document as GitHub-flavoured Markdown (report.md), images by relative path.</summary>
public static class MarkdownRenderer
{
    public static string Render(ReportDocument doc)
    {
        var md = new StringBuilder();
        md.Append("# ").Append(doc.Title).Append("\n\n");
        foreach (var section in doc.Sections)
        {
            md.Append("## ").Append(section.Title).Append("\n\n");
            foreach (var block in section.Blocks) Block(md, block);
        }
        return md.ToString();
    }

    static void Block(StringBuilder md, Block block)
    {
        switch (block)
        {
            case Paragraph p: md.Append(p.Text).Append("\n\n"); break;
            case Bullets b:
                foreach (var item in b.Items) md.Append("- ").Append(item).Append('\n');
                md.Append('\n');
                break;
            case Image i: md.Append("![").Append(Escape(i.Alt)).Append("](").Append(i.File).Append(")\n\n"); break;
            case TableBlock t: Table(md, t.Table); break;
        }
    }

    static void Table(StringBuilder md, ReportTable t)
    {
        md.Append("**").Append(t.Title).Append("** ([").Append(t.CsvFile).Append("](").Append(t.CsvFile).Append("))\n\n");
        if (t.Rows.Count == 0) { md.Append("_No rows._\n\n"); return; }
        md.Append("| ").Append(string.Join(" | ", t.Columns.Select(Escape))).Append(" |\n");
        md.Append('|').Append(string.Concat(t.Columns.Select(_ => " --- |"))).Append('\n');
        foreach (var row in t.Rows.Take(ReportDocument.MaxInlineRows))
            md.Append("| ").Append(string.Join(" | ", row.Select(c => Escape(CellText.Display(c))))).Append(" |\n");
        if (t.Rows.Count > ReportDocument.MaxInlineRows)
            md.Append("\n_First ").Append(ReportDocument.MaxInlineRows).Append(" of ").Append(t.Rows.Count).Append(" rows; all in the CSV._\n");
        md.Append('\n');
    }

    static string Escape(string text) => text.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
