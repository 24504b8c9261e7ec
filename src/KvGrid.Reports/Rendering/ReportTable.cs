namespace KvGrid.Reports.Rendering;

/// <summary>
/// A table as the renderers see it: an id (the CSV file name), a title, column names and rows of cells
/// (string, int, double, or null for "not available").
/// </summary>
public sealed record ReportTable(string Id, string Title, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    public string CsvFile => $"tables/{Id}.csv";
}

/// <summary>A column of a typed row: its name and cell.</summary>
public sealed record Column<T>(string Name, Func<T, object?> Cell);

public static class ReportTableFactory
{
    public static ReportTable Create<T>(string id, string title, IReadOnlyList<T> rows, params Column<T>[] columns) =>
        new(id, title, columns.Select(c => c.Name).ToList(), rows.Select(r => columns.Select(c => c.Cell(r)).ToArray()).ToList());
}
