using KvGrid.Templating.Lexing;
using KvGrid.Templating.Parsing;
using KvGrid.Templating.Runtime;
using KvGrid.Templating.Runtime.Builtins;

namespace KvGrid.Templating;

/// <summary>
/// A parsed Jinja2 template rendered with Python jinja2 semantics, as HuggingFace transformers'
/// <c>apply_chat_template</c> does. Parse once and reuse: <see cref="Render"/> is thread-safe.
/// </summary>
public sealed class JinjaTemplate
{
    private readonly IReadOnlyList<Stmt> _body;
    private readonly JinjaEnvironmentOptions _options;
    private readonly HashSet<Expr> _foldCandidates;
    private readonly Dictionary<IReadOnlyList<Stmt>, string[]> _undefinedAtStart;

    private JinjaTemplate(string name, IReadOnlyList<Stmt> body, JinjaEnvironmentOptions options)
    {
        Name = name;
        _body = body;
        _options = options;
        _foldCandidates = ConstantFolding.FindCandidates(body);
        _undefinedAtStart = ScopeAnalysis.Analyze(body);
    }

    /// <summary>Name used in error messages.</summary>
    public string Name { get; }

    /// <summary>Parses <paramref name="source"/> with HuggingFace's environment (<see cref="JinjaEnvironmentOptions.HuggingFace"/>).</summary>
    /// <exception cref="TemplateException">The template has a syntax error.</exception>
    public static JinjaTemplate Parse(string source, string? name = null) => Parse(source, name, JinjaEnvironmentOptions.HuggingFace);

    /// <summary>Parses <paramref name="source"/> with explicit environment options.</summary>
    /// <exception cref="TemplateException">The template has a syntax error.</exception>
    public static JinjaTemplate Parse(string source, string? name, JinjaEnvironmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var templateName = name ?? "<template>";
        try
        {
            var tokens = Lexer.Tokenize(source, templateName, options);
            var body = new Parser(tokens, templateName, Filters.Exists, Tests.Exists).ParseTemplate();
            return new JinjaTemplate(templateName, body, options);
        }
        catch (TemplateException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new TemplateException($"template {templateName}: internal parser error: {e.GetType().Name}: {OneLine(e.Message)}", templateName, null, false, e);
        }
    }

    /// <summary>
    /// Renders with the given variables. Values may be string, bool, int/long, double, null, lists,
    /// string-keyed dictionaries, System.Text.Json elements/nodes, and <see cref="JinjaFunction"/> or
    /// <c>Func&lt;object?[], object?&gt;</c> callables.
    /// </summary>
    /// <exception cref="TemplateException">Rendering failed, or the template called <c>raise_exception</c>.</exception>
    public string Render(IReadOnlyDictionary<string, object?> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var variables = new Scope(null);
            foreach (var pair in context)
                variables.Set(pair.Key, ValueConverter.ToRuntime(pair.Value));
            return new Interpreter(_options, _foldCandidates, _undefinedAtStart).Render(_body, variables);
        }
        catch (TemplateException)
        {
            throw;
        }
        catch (JinjaRuntimeError e)
        {
            var where = e.Line is int line ? $"{Name}:{line}" : Name;
            throw new TemplateException($"template {where}: {OneLine(e.Message)}", Name, e.Line, false, e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new TemplateException($"template {Name}: internal error: {e.GetType().Name}: {OneLine(e.Message)}", Name, null, false, e);
        }
    }

    private static string OneLine(string message) => message.Replace("\r", "\\r").Replace("\n", "\\n");
}
