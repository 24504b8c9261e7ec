namespace KvGrid.Templating.Lexing;

/// <summary>Builds the one-line <c>template &lt;name&gt;:&lt;line&gt;: &lt;what&gt;</c> syntax error.</summary>
internal static class SyntaxError
{
    public static TemplateException Create(string name, int line, string message) =>
        new($"template {name}:{line}: {message}", name, line);
}
