namespace KvGrid.Sweeps;

/// <summary>
/// A sweep spec is invalid. The message is one line, <c>SPEC.yaml:LINE:COL: detail</c>, pointing at the YAML node
/// at fault (for data problems: the spec entry that names the data, followed by the data file's own location).
/// </summary>
public sealed class SweepSpecException : KvGridException
{
    public SweepSpecException(string source, SpecPosition at, string detail, Exception? inner = null)
        : base($"{source}:{at.Line}:{at.Column}: {OneLine(detail)}", inner)
    {
        Source = source;
        At = at;
        Detail = OneLine(detail);
    }

    /// <summary>The spec file as named to the parser.</summary>
    public new string Source { get; }

    /// <summary>Where in the spec the problem is.</summary>
    public SpecPosition At { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Detail { get; }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

/// <summary>A 1-based line and column in the spec text.</summary>
public readonly record struct SpecPosition(int Line, int Column)
{
    public static readonly SpecPosition Start = new(1, 1);

    public override string ToString() => $"{Line}:{Column}";
}
