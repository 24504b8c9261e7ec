using System.Text;
using KvGrid.Results;

namespace KvGrid.Reports.Rendering;

/// <summary>Writes a table as RFC 4180 CSV (header row, CRLF, UTF-8 without BOM).</summary>
public static class CsvTableWriter
{
    public static string ToCsv(ReportTable table)
    {
        var text = new StringBuilder();
        text.Append(string.Join(",", table.Columns.Select(CsvCells.Quote))).Append("\r\n");
        foreach (var row in table.Rows)
            text.Append(string.Join(",", row.Select(c => c is null ? "" : CsvCells.Quote(CellText.Csv(c))))).Append("\r\n");
        return text.ToString();
    }

    public static void Write(ReportTable table, string outDir)
    {
        var path = Path.Combine(outDir, table.CsvFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, ToCsv(table), new UTF8Encoding(false));
    }
}
