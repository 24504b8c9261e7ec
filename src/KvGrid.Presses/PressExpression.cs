using System.Globalization;
using System.Text;

namespace KvGrid.Presses;

/// <summary>
/// A press with its parameters, in the one text form every surface uses (CLI <c>--press</c>, batch JSON, sweep
/// specs, the results' press column, reports, metric labels): <c>name</c> or <c>name(key=value, ...)</c>, and for a
/// wrapper its inner press first, <c>wrapper(inner(...), key=value)</c>. <see cref="Given"/> holds only parameters
/// that differ from their defaults, so <c>snapkv</c> and <c>snapkv(window_size=16)</c> are the same press and print
/// the same canonical text.
/// </summary>
public sealed record PressExpression(PressDefinition Definition, IReadOnlyDictionary<string, string> Given, PressExpression? Inner = null)
{
    public string Name => Definition.Name;

    /// <summary>Every parameter's value, defaults filled in, sorted by name (what the scorer runs with, and what ids hash).</summary>
    public IReadOnlyDictionary<string, string> Values => PressDefinitions.WithDefaults(Definition, Given);

    /// <summary>The canonical text: non-default parameters in the definition's order, inner press first.</summary>
    public override string ToString()
    {
        var args = new List<string>();
        if (Inner is not null) args.Add(Inner.ToString());
        foreach (var parameter in Definition.Parameters)
            if (Given.TryGetValue(parameter.Name, out var value)) args.Add(parameter.Name + "=" + value);
        return args.Count == 0 ? Name : $"{Name}({string.Join(", ", args)})";
    }

    /// <summary>
    /// A press from its name and parameter values as text (flags, YAML mappings, JSON fields, stored rows). Values are
    /// checked against the definition's rules and normalised (<c>08</c> is <c>8</c>); values equal to the default are dropped.
    /// </summary>
    public static PressExpression Create(string name, IReadOnlyDictionary<string, string>? values = null, PressExpression? inner = null)
    {
        var definition = PressDefinitions.Find(name) ?? throw new PressExpressionException(UnknownPress(name));
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, text) in values ?? new Dictionary<string, string>())
        {
            var parameter = definition.Parameter(key) ?? throw new PressExpressionException(UnknownParameter(definition, key));
            if (parameter.Problem(text) is { } problem) throw new PressExpressionException($"press {definition.Name}: {problem}");
            var value = parameter.Normalise(text);
            if (value != parameter.Default) given[key] = value;
        }
        if (inner is not null && !definition.IsWrapper)
            throw new PressExpressionException($"press {definition.Name} is not a wrapper: it takes no inner press");
        if (inner is null && definition.IsWrapper)
            throw new PressExpressionException($"press {definition.Name} wraps another press: give it first, as in {definition.Name}(snapkv)");
        return new PressExpression(definition, given, inner);
    }

    /// <summary>Parses the text form. Errors name the expression and the 1-based column.</summary>
    public static PressExpression Parse(string text) => new ExpressionParser(text).ParseAll();

    public static string UnknownPress(string name) =>
        $"unknown press '{name}' (known: {string.Join(", ", PressDefinitions.AcceptedNames)})";

    public static string UnknownParameter(PressDefinition definition, string key) =>
        $"press {definition.Name} has no parameter '{key}' (its parameters: {(definition.Parameters.Count == 0 ? "none" : string.Join(", ", definition.Parameters.Select(p => p.Name)))})";

    /// <summary>A recursive-descent parser over the expression text; positions are kept for the error messages.</summary>
    sealed class ExpressionParser(string text)
    {
        int _at;

        public PressExpression ParseAll()
        {
            var expression = Expression();
            SkipSpaces();
            if (_at < text.Length) throw Error($"unexpected '{text[_at]}' after the press");
            return expression;
        }

        PressExpression Expression()
        {
            SkipSpaces();
            int nameAt = _at;
            var name = Identifier("a press name");
            var definition = PressDefinitions.Find(name) ?? throw Error(UnknownPress(name), nameAt);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            PressExpression? inner = null;
            SkipSpaces();
            if (Peek('('))
            {
                _at++;
                SkipSpaces();
                bool first = true;
                while (!Peek(')'))
                {
                    if (!first)
                    {
                        Expect(',');
                        SkipSpaces();
                    }
                    int argAt = _at;
                    var word = Identifier("a parameter name or an inner press");
                    SkipSpaces();
                    if (Peek('='))
                    {
                        _at++;
                        SkipSpaces();
                        int valueAt = _at;
                        var value = Value();
                        var parameter = definition.Parameter(word) ?? throw Error(UnknownParameter(definition, word), argAt);
                        if (!values.TryAdd(word, value)) throw Error($"press {definition.Name}: {word} is given twice", argAt);
                        if (parameter.Problem(value) is { } problem) throw Error($"press {definition.Name}: {problem}", valueAt);
                        positions[word] = valueAt;
                    }
                    else
                    {
                        if (!first || !definition.IsWrapper)
                        {
                            throw Error(definition.IsWrapper
                                ? $"press {definition.Name}: the inner press comes first; later arguments are key=value"
                                : $"press {definition.Name} is not a wrapper: '{word}' needs '=value'", argAt);
                        }
                        _at = argAt;
                        inner = Expression();
                    }
                    first = false;
                    SkipSpaces();
                    if (_at >= text.Length) throw Error("missing ')'");
                }
                _at++;
            }
            try
            {
                return Create(definition.Name, values, inner);
            }
            catch (PressExpressionException e)
            {
                throw Error(e.Detail, nameAt);
            }
        }

        string Identifier(string what)
        {
            int start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] == '_')) _at++;
            if (_at == start) throw Error(_at < text.Length ? $"expected {what}, found '{text[_at]}'" : $"expected {what}");
            return text[start.._at];
        }

        string Value()
        {
            int start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '_' or '.' or '-' or '+')) _at++;
            if (_at == start) throw Error(_at < text.Length ? $"expected a value, found '{text[_at]}'" : "expected a value");
            return text[start.._at];
        }

        bool Peek(char c) => _at < text.Length && text[_at] == c;

        void Expect(char c)
        {
            if (!Peek(c)) throw Error(_at < text.Length ? $"expected '{c}', found '{text[_at]}'" : $"expected '{c}'");
            _at++;
        }

        void SkipSpaces()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        PressExpressionException Error(string detail, int? at = null) => new(detail, text, (at ?? _at) + 1);
    }
}

/// <summary>A press that cannot be built: the detail, and where the expression text has it (1-based column), when parsed from text.</summary>
public sealed class PressExpressionException(string detail, string? expression = null, int column = 0)
    : KvGridException(expression is null ? detail : $"press '{expression}', column {column}: {detail}")
{
    public string Detail { get; } = detail;
    public string? Expression { get; } = expression;
    public int Column { get; } = column;
}
