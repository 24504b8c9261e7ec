using System.Globalization;
using KvGrid.Results.Storage;

namespace KvGrid.Results;

/// <summary>
/// The text of a trial cell in CSV, and back: invariant culture, doubles in shortest round-trip form ("NaN",
/// "Infinity", "-Infinity" included), booleans as true/false, instants as ISO 8601 with their offset ("O"),
/// lists and dictionaries as JSON. NULL is an unquoted empty field; an empty string is written as `""`
/// (the convention of PostgreSQL's COPY ... CSV), so null and "" stay apart.
/// </summary>
public static class CsvCells
{
    public static string? Format(object? cell) => cell switch
    {
        null => null,
        string s => s,
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"no CSV form for {cell.GetType().Name}"),
    };

    /// <summary>The field as written: quoted when empty or holding a comma, quote or line break.</summary>
    public static string Quote(string? text)
    {
        if (text is null) return "";
        if (text.Length > 0 && text.IndexOfAny([',', '"', '\r', '\n']) < 0) return text;
        return "\"" + text.Replace("\"", "\"\"") + "\"";
    }
}

/// <summary>The cells of one CSV record, located through the header.</summary>
sealed class CsvCellReader(string file, IReadOnlyDictionary<string, int> header) : ICellReader
{
    List<CsvField> _fields = [];
    int _line;

    public void Load(int line, List<CsvField> fields)
    {
        if (fields.Count != header.Count)
            throw new KvGridException($"{file}:{line}: {fields.Count} fields, the header has {header.Count}");
        _line = line;
        _fields = fields;
    }

    CsvField Field(TrialColumn c) => _fields[header[c.Name]];

    public string? Text(TrialColumn c) => !header.ContainsKey(c.Name) || Field(c) is { IsNull: true } ? null : Field(c).Value;

    public int Int32(TrialColumn c) => int.TryParse(Field(c).Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
        ? v : throw BadCell(c, $"'{Field(c).Value}' is not a 32-bit integer");

    public long Int64(TrialColumn c) => long.TryParse(Field(c).Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
        ? v : throw BadCell(c, $"'{Field(c).Value}' is not an integer");

    public double? Double(TrialColumn c)
    {
        var f = Field(c);
        if (f.IsNull) return null;
        return double.TryParse(f.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw BadCell(c, $"'{f.Value}' is not a number");
    }

    public bool? Bool(TrialColumn c) => Field(c) switch
    {
        { IsNull: true } => null,
        { Value: "true" } => true,
        { Value: "false" } => false,
        var f => throw BadCell(c, $"'{f.Value}' is not true or false"),
    };

    public DateTimeOffset Timestamp(TrialColumn c) =>
        DateTimeOffset.TryParseExact(Field(c).Value, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t : throw BadCell(c, $"'{Field(c).Value}' is not an ISO 8601 timestamp with offset");

    public Exception BadCell(TrialColumn c, string reason) => new KvGridException($"{file}:{_line}: column {c.Name}: {reason}");
}
