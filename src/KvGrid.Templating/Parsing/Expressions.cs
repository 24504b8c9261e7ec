namespace KvGrid.Templating.Parsing;

/// <summary>Base of expression nodes; <see cref="Line"/> is the template line for error messages.</summary>
internal abstract record Expr(int Line);

internal sealed record ConstExpr(object? Value, int Line) : Expr(Line);

internal sealed record NameExpr(string Name, int Line) : Expr(Line);

internal sealed record TupleExpr(IReadOnlyList<Expr> Items, int Line) : Expr(Line);

internal sealed record ListExpr(IReadOnlyList<Expr> Items, int Line) : Expr(Line);

internal sealed record DictExpr(IReadOnlyList<(Expr Key, Expr Value)> Pairs, int Line) : Expr(Line);

internal sealed record GetAttrExpr(Expr Target, string Attribute, int Line) : Expr(Line);

internal sealed record GetItemExpr(Expr Target, Expr Key, int Line) : Expr(Line);

/// <summary>A slice <c>[start:stop:step]</c>; only valid as a subscript key.</summary>
internal sealed record SliceExpr(Expr? Start, Expr? Stop, Expr? Step, int Line) : Expr(Line);

/// <summary>Arguments of a call, filter or test: positional, keyword, <c>*args</c>, <c>**kwargs</c>.</summary>
internal sealed record CallArguments(IReadOnlyList<Expr> Positional, IReadOnlyList<(string Name, Expr Value)> Named, Expr? DynamicPositional, Expr? DynamicNamed)
{
    public static readonly CallArguments None = new([], [], null, null);
}

internal sealed record CallExpr(Expr Target, CallArguments Arguments, int Line) : Expr(Line);

/// <summary><c>value | name(args)</c>; <see cref="Input"/> is null inside a <c>{% filter %}</c> block or <c>{% set x | f %}</c>.</summary>
internal sealed record FilterExpr(Expr? Input, string Name, CallArguments Arguments, int Line) : Expr(Line);

internal sealed record TestExpr(Expr Input, string Name, CallArguments Arguments, int Line) : Expr(Line);

internal enum UnaryOp
{
    Not,
    Negate,
    Plus,
}

internal sealed record UnaryExpr(UnaryOp Op, Expr Operand, int Line) : Expr(Line);

/// <summary>Arithmetic: + - * / // % **.</summary>
internal sealed record BinaryExpr(string Op, Expr Left, Expr Right, int Line) : Expr(Line);

internal sealed record AndExpr(Expr Left, Expr Right, int Line) : Expr(Line);

internal sealed record OrExpr(Expr Left, Expr Right, int Line) : Expr(Line);

/// <summary>Chained comparison <c>a &lt; b == c</c>; ops are eq ne lt lteq gt gteq in notin.</summary>
internal sealed record CompareExpr(Expr First, IReadOnlyList<(string Op, Expr Operand)> Rest, int Line) : Expr(Line);

/// <summary><c>a ~ b ~ c</c>: string concatenation of str() of each operand.</summary>
internal sealed record ConcatExpr(IReadOnlyList<Expr> Parts, int Line) : Expr(Line);

/// <summary><c>a if cond else b</c>; without else the result is undefined.</summary>
internal sealed record CondExpr(Expr Test, Expr Then, Expr? Else, int Line) : Expr(Line);

/// <summary>Assignment target <c>ns.attr</c> in <c>{% set ns.attr = ... %}</c>.</summary>
internal sealed record NamespaceRefExpr(string Name, string Attribute, int Line) : Expr(Line);
