using System.Text.Json;

namespace KvGrid.Benchmarks.Datasets;

/// <summary>Loads <c>defense_template.json</c> (a JSON object: name -> template text), keeping file order.</summary>
public static class DefenseTemplates
{
    public const string StandardDefense = "standard_defense";
    public const string FlippedDefense = "flipped_defense";
    public const string NoDefense = "no_defense";

    /// <exception cref="DataFileException">Unreadable JSON (with line and column), a non-string value, a duplicate
    /// name, or a template without exactly one placeholder.</exception>
    public static IReadOnlyList<DefenseTemplate> Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(path, null, "cannot read: " + e.Message, e);
        }

        return Parse(json, path);
    }

    /// <summary>Parses template JSON text; <paramref name="sourceName"/> names it in errors.</summary>
    public static IReadOnlyList<DefenseTemplate> Parse(string json, string sourceName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new DataFileException(sourceName,
                (int?)e.LineNumber + 1, (int?)e.BytePositionInLine + 1, "invalid JSON: " + StripLocation(e.Message), e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new DataFileException(sourceName, 1, "expected a JSON object mapping names to templates");
            }

            var templates = new List<DefenseTemplate>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var duplicate = !seen.Add(property.Name);
                var line = LineOf(json, property.Name, duplicate);
                if (duplicate)
                {
                    throw new DataFileException(sourceName, line, $"duplicate template name '{property.Name}'");
                }

                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw new DataFileException(sourceName, line,
                        $"template '{property.Name}' must be a string, not {property.Value.ValueKind}");
                }

                try
                {
                    templates.Add(new DefenseTemplate(property.Name, property.Value.GetString()!));
                }
                catch (ArgumentException e)
                {
                    throw new DataFileException(sourceName, line, e.Message.Split(" (Parameter")[0], e);
                }
            }

            return templates;
        }
    }

    /// <summary>Finds one template by name.</summary>
    public static DefenseTemplate Get(this IReadOnlyList<DefenseTemplate> templates, string name) =>
        templates.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException(
            $"no defense template '{name}' (known: {string.Join(", ", templates.Select(t => t.Name))})");

    // JsonDocument keeps no positions; a best-effort line for errors about a property (its first "name": key).
    private static int? LineOf(string json, string name, bool last)
    {
        var key = JsonSerializer.Serialize(name, KeyOptions);
        var at = last ? json.LastIndexOf(key, StringComparison.Ordinal) : json.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        return json.AsSpan(0, at).Count('\n') + 1;
    }

    private static readonly JsonSerializerOptions KeyOptions =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string StripLocation(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return DataFileException.OneLine(cut >= 0 ? message[..cut] : message);
    }
}
