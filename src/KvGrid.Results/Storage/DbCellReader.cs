using System.Data.Common;
using System.Globalization;

namespace KvGrid.Results.Storage;

/// <summary>
/// Cells of a database reader's current row, located by column name. Tolerates each provider's types: SQLite gives
/// integers as long, booleans as 0/1, instants as text and NaN as the text 'NaN' (SQLite would turn a NaN REAL into
/// NULL); PostgreSQL gives int, bool, DateTime (UTC) and jsonb as text.
/// </summary>
public sealed class DbCellReader : ICellReader
{
    readonly DbDataReader _reader;
    readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);
    readonly string _store;

    public DbCellReader(DbDataReader reader, string store)
    {
        _reader = reader;
        _store = store;
        for (int i = 0; i < reader.FieldCount; i++) _ordinals[reader.GetName(i)] = i;
    }

    object? Value(TrialColumn c)
    {
        if (!_ordinals.TryGetValue(c.Name, out var i)) throw new KvGridException($"{_store}: the trials table has no column '{c.Name}'");
        return _reader.IsDBNull(i) ? null : _reader.GetValue(i);
    }

    public string? Text(TrialColumn c) => Value(c) switch
    {
        null => null,
        string s => s,
        var v => throw BadCell(c, $"expected text, found {v.GetType().Name}"),
    };

    public int Int32(TrialColumn c) => Value(c) switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        var v => throw BadCell(c, $"expected a 32-bit integer, found '{v}'"),
    };

    public long Int64(TrialColumn c) => Value(c) switch
    {
        long l => l,
        int i => i,
        var v => throw BadCell(c, $"expected an integer, found '{v}'"),
    };

    public double? Double(TrialColumn c) => Value(c) switch
    {
        null => null,
        double d => d,
        float f => f,
        long l => l, // SQLite stores a REAL without fraction that fits an integer as INTEGER
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        var v => throw BadCell(c, $"expected a number, found '{v}'"),
    };

    public bool? Bool(TrialColumn c) => Value(c) switch
    {
        null => null,
        bool b => b,
        long l and (0 or 1) => l == 1,
        var v => throw BadCell(c, $"expected a boolean, found '{v}'"),
    };

    public DateTimeOffset Timestamp(TrialColumn c) => Value(c) switch
    {
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset dto => dto,
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) => t,
        var v => throw BadCell(c, $"expected a timestamp, found '{v}'"),
    };

    public Exception BadCell(TrialColumn c, string reason)
    {
        var id = _ordinals.TryGetValue(TrialColumns.TrialId.Name, out var i) && !_reader.IsDBNull(i) ? _reader.GetValue(i) : "?";
        return new KvGridException($"{_store}: trial {id}: column {c.Name}: {reason}");
    }
}
