namespace KvGrid.Reports.Plots;

/// <summary>A chart to draw, independent of the plotting library. File is relative to the output folder.</summary>
public abstract record Chart(string File, string Title, string XLabel, string YLabel);

/// <summary>
/// One line with markers; series of the same ColorKey share a colour, Dashed tells the second metric apart.
/// YLow/YHigh (optional, same length as Y) draw an interval around each point.
/// </summary>
public sealed record LineSeries(string Label, string ColorKey, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Dashed = false,
    IReadOnlyList<double>? YLow = null, IReadOnlyList<double>? YHigh = null);

/// <summary>Lines against a numeric x axis (ratio, memory saved); Y limits fixed for rates so panels compare.</summary>
public sealed record LineChart(string File, string Title, string XLabel, string YLabel, IReadOnlyList<LineSeries> Series,
    double? YMin = null, double? YMax = null, double? ReferenceY = null) : Chart(File, Title, XLabel, YLabel);

/// <summary>One box (quartiles, whiskers at min and max) at an x position, coloured by its group.</summary>
public sealed record BoxItem(string Group, double X, double Min, double P25, double Median, double P75, double Max);

public sealed record BoxChart(string File, string Title, string XLabel, string YLabel, IReadOnlyList<BoxItem> Boxes, double BoxWidth)
    : Chart(File, Title, XLabel, YLabel);
