namespace KvGrid.Benchmarks;

/// <summary>
/// A benchmark input file is malformed. The message is one line of the form
/// <c>file:line: detail</c> (or <c>file:line:column: detail</c>, or <c>file: detail</c> when no line applies),
/// so the CLI can print it as is.
/// </summary>
public sealed class DataFileException : KvGridException
{
    public DataFileException(string file, int? line, string detail, Exception? inner = null)
        : this(file, line, null, detail, inner)
    {
    }

    public DataFileException(string file, int? line, int? column, string detail, Exception? inner = null)
        : base(Format(file, line, column, detail), inner)
    {
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>The file as the caller named it.</summary>
    public string File { get; }

    /// <summary>1-based line, when the problem is on a line.</summary>
    public int? Line { get; }

    /// <summary>1-based column (JSON errors), when known.</summary>
    public int? Column { get; }

    private static string Format(string file, int? line, int? column, string detail)
    {
        var location = file;
        if (line is { } l)
        {
            location += ":" + l;
            if (column is { } c)
            {
                location += ":" + c;
            }
        }

        return location + ": " + OneLine(detail);
    }

    /// <summary>Collapses line breaks so a message never spans lines.</summary>
    internal static string OneLine(string text) =>
        text.ReplaceLineEndings(" ").Trim();
}
