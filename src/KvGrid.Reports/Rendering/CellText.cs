using System.Globalization;

namespace KvGrid.Reports.Rendering;

/// <summary>How a cell is written: exactly in CSV (round-trip doubles), rounded for people in Markdown and HTML.</summary>
public static class CellText
{
    public static string Csv(object? cell) => cell switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    public static string Display(object? cell) => cell switch
    {
        null => "–",
        double d when double.IsNaN(d) => "n/a",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };

    public static string Ratio(double ratio) => ratio.ToString("0.###", CultureInfo.InvariantCulture);
}
