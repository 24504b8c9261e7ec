namespace KvGrid.Templating.Tests;

/// <summary>Renders snippets in HuggingFace's environment with a fixed strftime_now clock.</summary>
internal static class Jinja
{
    public static readonly DateTimeOffset Clock = new(2024, 7, 26, 13, 5, 9, TimeSpan.Zero);

    public static readonly JinjaEnvironmentOptions Options = JinjaEnvironmentOptions.HuggingFace with { Clock = () => Clock };

    public static string Render(string source, object? context = null, JinjaEnvironmentOptions? options = null) =>
        JinjaTemplate.Parse(source, "test", options ?? Options).Render(ToDictionary(context));

    public static TemplateException Fails(string source, object? context = null) =>
        Assert.Throws<TemplateException>(() => Render(source, context));

    /// <summary>Anonymous objects become contexts: <c>new { a = 1 }</c> → {"a": 1}.</summary>
    private static IReadOnlyDictionary<string, object?> ToDictionary(object? context) => context switch
    {
        null => new Dictionary<string, object?>(),
        IReadOnlyDictionary<string, object?> d => d,
        _ => context.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(context)),
    };
}
