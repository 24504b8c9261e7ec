using System.Text.Json;
using System.Text.Json.Serialization;

namespace KvGrid.Results.Storage;

/// <summary>
/// JSON text of the list and dictionary fields (SQL columns, CSV cells, Parquet strings). Doubles are written in
/// their shortest round-trip form; NaN and infinities as the strings "NaN"/"Infinity" (valid JSON, so PostgreSQL's
/// jsonb accepts them), which makes the encoding lossless.
/// </summary>
public static class TrialJson
{
    static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string? Encode(IReadOnlyList<string>? v) => v is null ? null : JsonSerializer.Serialize(v, Options);
    public static string? Encode(IReadOnlyList<bool>? v) => v is null ? null : JsonSerializer.Serialize(v, Options);
    public static string? Encode(IReadOnlyDictionary<string, double>? v) => v is null ? null : JsonSerializer.Serialize(v, Options);

    /// <summary>Parses JSON text (null stays null); throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static T? Decode<T>(string? json) where T : class
    {
        if (json is null) return null;
        try { return JsonSerializer.Deserialize<T>(json, Options) ?? throw new FormatException("JSON null where a value is expected"); }
        catch (JsonException e) { throw new FormatException($"invalid JSON for {Describe<T>()}: {e.Message.Split('\n')[0]}"); }
    }

    static string Describe<T>() => typeof(T) == typeof(string[]) ? "a list of strings"
        : typeof(T) == typeof(bool[]) ? "a list of booleans"
        : typeof(T) == typeof(Dictionary<string, double>) ? "an object of numbers" : typeof(T).Name;
}
