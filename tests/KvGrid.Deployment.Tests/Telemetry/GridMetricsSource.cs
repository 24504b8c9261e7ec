using System.Text;
using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests.Telemetry;

/// <summary>
/// Reads the instruments of Meter "KvGrid" from src/KvGrid.Telemetry/GridMetrics.cs, so that renaming an
/// instrument or changing its unit changes the names the dashboards are checked against. Every
/// <c>Meter.CreateXxx(...)</c> call is split into its top-level arguments; name and unit must be string literals.
/// </summary>
public static class GridMetricsSource
{
    public static string FilePath => Path.Combine(TestPaths.RepoRoot, "src", "KvGrid.Telemetry", "GridMetrics.cs");

    public static IReadOnlyList<Instrument> Read() => Parse(File.ReadAllText(FilePath), "GridMetrics.cs");

    public static IReadOnlyList<Instrument> Parse(string source, string fileName)
    {
        var found = new List<Instrument>();
        const string marker = "Meter.Create";
        for (var at = source.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = source.IndexOf(marker, at + 1, StringComparison.Ordinal))
        {
            var line = source[..at].Count(c => c == '\n') + 1;
            var methodStart = at + marker.Length;
            var open = source.IndexOf('(', methodStart);
            var method = source[methodStart..open];
            var generic = method.IndexOf('<');
            if (generic >= 0) method = method[..generic];
            var args = TopLevelArguments(source, open, fileName, line);
            // Observable instruments take the callback second: (name, callback, unit, description).
            var (kind, unitIndex) = method switch
            {
                "Counter" => (InstrumentKind.Counter, 1),
                "Histogram" => (InstrumentKind.Histogram, 1),
                "ObservableGauge" => (InstrumentKind.Gauge, 2),
                "Gauge" => (InstrumentKind.Gauge, 1),
                "ObservableCounter" => (InstrumentKind.Counter, 2),
                _ => throw new FormatException($"{fileName}:{line}: Meter.Create{method}: no Prometheus naming rule for this instrument kind in the deployment tests"),
            };
            if (args.Count <= unitIndex) throw new FormatException($"{fileName}:{line}: Meter.Create{method} without a unit argument");
            found.Add(new Instrument(StringLiteral(args[0], fileName, line), StringLiteral(args[unitIndex], fileName, line), kind));
        }
        return found;
    }

    /// <summary>The arguments of the call whose '(' is at <paramref name="open"/>, split at top-level commas.</summary>
    static List<string> TopLevelArguments(string s, int open, string fileName, int line)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '"')
            {
                var end = i + 1;
                while (s[end] != '"') end += s[end] == '\\' ? 2 : 1;
                current.Append(s, i, end - i + 1);
                i = end;
                continue;
            }
            if (c is '(' or '[' or '{') { if (depth++ == 0) continue; }
            else if (c is ')' or ']' or '}')
            {
                if (--depth == 0) { args.Add(current.ToString().Trim()); return args; }
            }
            else if (c == ',' && depth == 1) { args.Add(current.ToString().Trim()); current.Clear(); continue; }
            current.Append(c);
        }
        throw new FormatException($"{fileName}:{line}: unbalanced parentheses in a Meter.Create call");
    }

    static string StringLiteral(string arg, string fileName, int line) =>
        arg.Length >= 2 && arg[0] == '"' && arg[^1] == '"' && arg.IndexOf('"', 1) == arg.Length - 1
            ? arg[1..^1]
            : throw new FormatException($"{fileName}:{line}: expected a string literal, found '{arg}'");
}
