namespace KvGrid.Templating;

/// <summary>
/// The only exception type <see cref="JinjaTemplate"/> lets escape. Its message is one line:
/// <c>template &lt;name&gt;:&lt;line&gt;: &lt;what&gt;</c> for syntax and runtime errors, or the template's own
/// text for <c>raise_exception(...)</c> (so a caller can show it to the user verbatim).
/// </summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message, string? templateName = null, int? line = null, bool raisedByTemplate = false, Exception? inner = null)
        : base(message, inner)
    {
        TemplateName = templateName;
        Line = line;
        RaisedByTemplate = raisedByTemplate;
    }

    /// <summary>Name given to <see cref="JinjaTemplate.Parse"/>, if any.</summary>
    public string? TemplateName { get; }

    /// <summary>1-based template line the error was found on, when known.</summary>
    public int? Line { get; }

    /// <summary>True when the template itself called <c>raise_exception(msg)</c>; Message is then msg.</summary>
    public bool RaisedByTemplate { get; }
}
