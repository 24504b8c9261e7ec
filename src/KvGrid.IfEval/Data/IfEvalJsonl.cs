using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KvGrid.IfEval.Evaluation;

namespace KvGrid.IfEval.Data;

/// <summary>
/// JSON Lines scoring for <c>kvgrid ifeval score --responses FILE.jsonl --json</c>. Input lines:
/// <c>{"key":..,"prompt":"..","instruction_id_list":[..],"kwargs":[..],"response":".."}</c> ("prompt"
/// optional). Output, one line per input record in the same order:
/// <c>{"key":..,"strict":[..],"loose":[..]}</c> with the key echoed as given.
/// </summary>
public static class IfEvalJsonl
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Scores every record; blank lines are skipped. Throws <see cref="IfEvalFormatException"/> on bad input.</summary>
    public static IfEvalAggregates Score(TextReader input, string sourceName, TextWriter output)
    {
        var aggregator = new IfEvalAggregator();
        int lineNumber = 0;
        string? text;
        var buffer = new MemoryStream();
        while ((text = input.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            using var doc = JsonlLine.Parse(sourceName, lineNumber, text);
            var line = new JsonlLine(sourceName, lineNumber, doc.RootElement);
            var key = line.Key();
            var ids = line.InstructionIds();
            var kwargs = line.Kwargs(ids.Count);
            var checkers = line.Checkers(ids, kwargs);
            string response = line.RequiredString("response");
            if (doc.RootElement.TryGetProperty("prompt", out var prompt) && prompt.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                throw line.Error("'prompt' must be a string");

            var verdict = IfEvalEvaluator.Evaluate(checkers, response);
            aggregator.Add(verdict);

            buffer.SetLength(0);
            using (var w = new Utf8JsonWriter(buffer, WriterOptions))
            {
                w.WriteStartObject();
                w.WritePropertyName("key");
                key.WriteTo(w);
                w.WriteStartArray("strict");
                foreach (var b in verdict.Strict) w.WriteBooleanValue(b);
                w.WriteEndArray();
                w.WriteStartArray("loose");
                foreach (var b in verdict.Loose) w.WriteBooleanValue(b);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
        return aggregator.Build();
    }
}
