using System.Text;

namespace KvGrid.Results;

/// <summary>One CSV field: its text and whether it was quoted (an unquoted empty field is NULL, `""` is "").</summary>
public readonly record struct CsvField(string Value, bool Quoted)
{
    public bool IsNull => !Quoted && Value.Length == 0;
}

/// <summary>
/// Reads RFC 4180 records: fields separated by commas, records by CRLF, LF or CR; a quoted field may hold commas,
/// quotes (doubled) and line breaks, which are kept exactly. Blank lines are skipped. Malformed input throws a
/// <see cref="KvGridException"/> naming the file and line.
/// </summary>
public sealed class CsvRecordReader
{
    readonly TextReader _text;
    readonly string _file;
    int _line = 1;

    public CsvRecordReader(TextReader text, string file)
    {
        _text = text;
        _file = file;
    }

    /// <summary>The next record and the line it starts on, or null at the end.</summary>
    public (int Line, List<CsvField> Fields)? Next()
    {
        while (true)
        {
            if (_text.Peek() < 0) return null;
            var start = _line;
            var fields = ReadRecord();
            if (fields.Count == 1 && fields[0].IsNull) continue; // a blank line
            return (start, fields);
        }
    }

    List<CsvField> ReadRecord()
    {
        var fields = new List<CsvField>();
        var sb = new StringBuilder();
        while (true)
        {
            sb.Clear();
            bool quoted = false;
            int c = _text.Read();
            if (c == '"')
            {
                quoted = true;
                var opened = _line;
                while (true)
                {
                    c = _text.Read();
                    if (c < 0) throw new KvGridException($"{_file}:{opened}: unterminated quoted field");
                    if (c == '"')
                    {
                        if (_text.Peek() == '"') { _text.Read(); sb.Append('"'); continue; }
                        c = _text.Read();
                        break;
                    }
                    if (c == '\n' || (c == '\r' && _text.Peek() != '\n')) _line++;
                    sb.Append((char)c);
                }
                if (c is not (',' or '\r' or '\n' or -1))
                    throw new KvGridException($"{_file}:{_line}: unexpected '{(char)c}' after a closing quote");
            }
            else
            {
                while (c is not (',' or '\r' or '\n' or -1))
                {
                    if (c == '"') throw new KvGridException($"{_file}:{_line}: '\"' inside an unquoted field (quote the field and double the quote)");
                    sb.Append((char)c);
                    c = _text.Read();
                }
            }
            fields.Add(new CsvField(sb.ToString(), quoted));
            if (c == ',') continue;
            if (c == '\r' && _text.Peek() == '\n') _text.Read();
            if (c != -1) _line++;
            return fields;
        }
    }
}
