namespace KvGrid.Templating.Lexing;

internal enum TokenKind
{
    Data,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    Eof,
}

/// <summary>One lexer token. <see cref="Value"/> is the operator text, name, decoded string, long or double.</summary>
internal readonly record struct Token(TokenKind Kind, object? Value, int Line)
{
    public string Text => Value as string ?? "";

    public bool IsOperator(string op) => Kind == TokenKind.Operator && (string)Value! == op;

    public bool IsName(string name) => Kind == TokenKind.Name && (string)Value! == name;

    /// <summary>jinja2's <c>describe_token</c>, used in syntax error messages.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.Name => (string)Value!,
        TokenKind.Operator => (string)Value!,
        TokenKind.Eof => "end of template",
        TokenKind.BlockBegin => "begin of statement block",
        TokenKind.BlockEnd => "end of statement block",
        TokenKind.VariableBegin => "begin of print statement",
        TokenKind.VariableEnd => "end of print statement",
        TokenKind.Data => "template data / text",
        TokenKind.String => "string",
        TokenKind.Integer => "integer",
        TokenKind.Float => "float",
        _ => Kind.ToString(),
    };
}
