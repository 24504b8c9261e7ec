namespace KvGrid.Templating.Runtime;

/// <summary>
/// An error raised while rendering, before the template line is known. The evaluator attaches the
/// line of the innermost node and converts it to <see cref="TemplateException"/>.
/// </summary>
internal sealed class JinjaRuntimeError : Exception
{
    public JinjaRuntimeError(string message, string kind = "TypeError") : base(message) => Kind = kind;

    /// <summary>The Python exception class jinja2 would raise (TypeError, UndefinedError, SecurityError, ...).</summary>
    public string Kind { get; }

    public int? Line { get; set; }
}
