using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KvGrid.Benchmarks.Leakage;

/// <summary>
/// The <c>kvgrid score leakage</c> contract. Input: JSON Lines <c>{"id":..,"system_prompt":"..","response":".."}</c>
/// (blank lines skipped). Output, one line per input line in the same order:
/// <c>{"id":..,"rouge1":{"precision":x,"recall":x,"f1":x},"rougeL":{..},"leaked":bool}</c> with the id echoed
/// as given (any JSON value) and numbers written as shortest round-trip doubles.
/// </summary>
public static class LeakageJsonl
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <exception cref="DataFileException">A line is not a JSON object or lacks a field (one-line message).</exception>
    public static LeakageSummary Score(TextReader input, string sourceName, TextWriter output,
        double threshold = LeakageJudge.DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var accumulator = new LeakageAccumulator();
        var buffer = new MemoryStream();
        var lineNumber = 0;
        while (input.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = Parse(line, sourceName, lineNumber);
            var root = document.RootElement;
            var id = root.TryGetProperty("id", out var idElement)
                ? idElement
                : throw new DataFileException(sourceName, lineNumber, "missing field 'id'");
            var systemPrompt = RequireString(root, "system_prompt", sourceName, lineNumber);
            var response = RequireString(root, "response", sourceName, lineNumber);

            var verdict = LeakageJudge.Judge(systemPrompt, response, threshold);
            accumulator.Add(verdict);

            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("id");
                id.WriteTo(writer);
                WriteScore(writer, "rouge1", verdict.Rouge.Rouge1);
                WriteScore(writer, "rougeL", verdict.Rouge.RougeL);
                writer.WriteBoolean("leaked", verdict.Leaked);
                writer.WriteEndObject();
            }

            output.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            output.Write('\n');
        }

        return accumulator.ToSummary();
    }

    private static JsonDocument Parse(string line, string sourceName, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            var column = e.BytePositionInLine is { } p ? (int)p + 1 : (int?)null;
            throw new DataFileException(sourceName, lineNumber, column, "invalid JSON: " + FirstSentence(e.Message), e);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new DataFileException(sourceName, lineNumber, "expected a JSON object");
        }

        return document;
    }

    private static string RequireString(JsonElement root, string name, string sourceName, int lineNumber)
    {
        if (!root.TryGetProperty(name, out var element))
        {
            throw new DataFileException(sourceName, lineNumber, $"missing field '{name}'");
        }

        return element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new DataFileException(sourceName, lineNumber, $"'{name}' must be a string, not {element.ValueKind}");
    }

    private static void WriteScore(Utf8JsonWriter writer, string name, RougeScore score)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("precision", score.Precision);
        writer.WriteNumber("recall", score.Recall);
        writer.WriteNumber("f1", score.F1);
        writer.WriteEndObject();
    }

    /// <summary>System.Text.Json appends "Path: ... | LineNumber: ..." to its messages; the location is ours.</summary>
    internal static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return DataFileException.OneLine(cut >= 0 ? message[..cut] : message);
    }
}
