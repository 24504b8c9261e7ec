using KvGrid.Templating.Lexing;

namespace KvGrid.Templating.Parsing;

/// <summary>Cursor over the lexer's tokens with jinja2's expect/skip helpers.</summary>
internal sealed class TokenStream
{
    private readonly List<Token> _tokens;
    private readonly string _name;
    private int _index;

    public TokenStream(List<Token> tokens, string name)
    {
        _tokens = tokens;
        _name = name;
    }

    public Token Current => _tokens[_index];

    public Token Look() => _tokens[Math.Min(_index + 1, _tokens.Count - 1)];

    public Token Next()
    {
        var token = _tokens[_index];
        if (_index < _tokens.Count - 1)
            _index++;
        return token;
    }

    public bool AtEnd => Current.Kind == TokenKind.Eof;

    public TemplateException Fail(string message, int? line = null) => SyntaxError.Create(_name, line ?? Current.Line, message);

    public bool SkipOperator(string op)
    {
        if (!Current.IsOperator(op))
            return false;
        Next();
        return true;
    }

    public bool SkipName(string name)
    {
        if (!Current.IsName(name))
            return false;
        Next();
        return true;
    }

    public Token ExpectOperator(string op)
    {
        if (!Current.IsOperator(op))
            throw Unexpected($"'{op}'");
        return Next();
    }

    public Token ExpectName(string? name = null)
    {
        if (Current.Kind != TokenKind.Name || (name is not null && Current.Text != name))
            throw Unexpected(name is null ? "'name'" : $"'{name}'");
        return Next();
    }

    public Token Expect(TokenKind kind)
    {
        if (Current.Kind != kind)
            throw Unexpected($"'{new Token(kind, null, 0).Describe()}'");
        return Next();
    }

    private TemplateException Unexpected(string expected) =>
        Current.Kind == TokenKind.Eof
            ? Fail($"unexpected end of template, expected {expected}.")
            : Fail($"expected token {expected}, got '{Current.Describe()}'");
}
