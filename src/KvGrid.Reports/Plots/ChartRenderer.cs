using ScottPlot;

namespace KvGrid.Reports.Plots;

/// <summary>
/// Draws charts to PNG with ScottPlot (SkiaSharp underneath). Text uses the "DejaVu Sans" system font
/// (Debian's fonts-dejavu-core) when installed, ScottPlot's default font otherwise.
/// </summary>
public static class ChartRenderer
{
    public const int Width = 800;
    public const int Height = 500;

    static readonly Lazy<string?> FontName = new(() =>
        SkiaSharp.SKFontManager.Default.FontFamilies.Contains("DejaVu Sans") ? "DejaVu Sans" : null);

    public static void Render(Chart chart, string outDir)
    {
        var path = Path.Combine(outDir, chart.File);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var plot = new Plot();
        if (FontName.Value is { } font) plot.Font.Set(font);
        switch (chart)
        {
            case LineChart lines: DrawLines(plot, lines); break;
            case BoxChart boxes: DrawBoxes(plot, boxes); break;
            default: throw new ArgumentException($"unknown chart {chart.GetType().Name}");
        }
        plot.Title(chart.Title);
        plot.XLabel(chart.XLabel);
        plot.YLabel(chart.YLabel);
        plot.SavePng(path, Width, Height);
    }

    static void DrawLines(Plot plot, LineChart chart)
    {
        var colors = ColorsFor(chart.Series.Select(s => s.ColorKey));
        foreach (var s in chart.Series)
        {
            var line = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray());
            line.LegendText = s.Label;
            line.Color = colors[s.ColorKey];
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.MarkerShape = s.Dashed ? MarkerShape.OpenCircle : MarkerShape.FilledCircle;
            if (s.Dashed) line.LinePattern = LinePattern.Dashed;
            if (s.YLow is { } low && s.YHigh is { } high)
            {
                var bars = plot.Add.ErrorBar(s.X.ToArray(), s.Y.ToArray(), s.Y.Select(_ => 0.0).ToArray());
                bars.YErrorNegative = s.Y.Zip(low, (y, l) => y - l).ToArray();
                bars.YErrorPositive = s.Y.Zip(high, (y, h) => h - y).ToArray();
                bars.Color = colors[s.ColorKey];
            }
        }
        if (chart.ReferenceY is { } reference)
        {
            var zero = plot.Add.HorizontalLine(reference);
            zero.Color = Colors.Gray;
            zero.LinePattern = LinePattern.Dotted;
        }
        if (chart.Series.Count > 0) plot.ShowLegend(Alignment.LowerLeft);
        if (chart.YMin is { } lo && chart.YMax is { } hi) plot.Axes.SetLimitsY(lo, hi);
    }

    static void DrawBoxes(Plot plot, BoxChart chart)
    {
        var colors = ColorsFor(chart.Boxes.Select(b => b.Group));
        foreach (var group in chart.Boxes.GroupBy(b => b.Group))
        {
            var boxes = group.Select(b => new Box
            {
                Position = b.X, Width = chart.BoxWidth,
                WhiskerMin = b.Min, BoxMin = b.P25, BoxMiddle = b.Median, BoxMax = b.P75, WhiskerMax = b.Max,
            }).ToList();
            var plotted = plot.Add.Boxes(boxes);
            plotted.LegendText = group.Key;
            plotted.FillColor = colors[group.Key].WithAlpha(0.6);
        }
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimitsY(-0.05, 1.05);
    }

    /// <summary>A stable colour per key, in first-seen order, from ScottPlot's Category10 palette.</summary>
    static Dictionary<string, Color> ColorsFor(IEnumerable<string> keys)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var map = new Dictionary<string, Color>(StringComparer.Ordinal);
        foreach (var k in keys)
            if (!map.ContainsKey(k)) map[k] = palette.GetColor(map.Count);
        return map;
    }
}
