namespace KvGrid.Templating.Parsing;

/// <summary>Base of statement (template body) nodes.</summary>
internal abstract record Stmt(int Line);

/// <summary>Literal template text.</summary>
internal sealed record DataStmt(string Text, int Line) : Stmt(Line);

/// <summary><c>{{ expr }}</c>.</summary>
internal sealed record OutputStmt(Expr Value, int Line) : Stmt(Line);

internal sealed record IfStmt(IReadOnlyList<(Expr Test, IReadOnlyList<Stmt> Body)> Branches, IReadOnlyList<Stmt> Else, int Line) : Stmt(Line);

internal sealed record ForStmt(Expr Target, Expr Iterable, Expr? Filter, bool Recursive, IReadOnlyList<Stmt> Body, IReadOnlyList<Stmt> Else, int Line) : Stmt(Line);

internal sealed record SetStmt(Expr Target, Expr Value, int Line) : Stmt(Line);

/// <summary><c>{% set x | filter %}body{% endset %}</c>; <see cref="Filter"/> has a null input.</summary>
internal sealed record SetBlockStmt(Expr Target, FilterExpr? Filter, IReadOnlyList<Stmt> Body, int Line) : Stmt(Line);

internal sealed record MacroParameter(string Name, Expr? Default);

/// <summary>A macro definition; the flags record whether the body reads the special names (as jinja2 does).</summary>
internal sealed record MacroStmt(string Name, IReadOnlyList<MacroParameter> Parameters, IReadOnlyList<Stmt> Body, bool UsesVarargs, bool UsesKwargs, bool UsesCaller, int Line) : Stmt(Line);

/// <summary><c>{% call(params) macro(args) %}body{% endcall %}</c>: the body becomes <c>caller</c>.</summary>
internal sealed record CallBlockStmt(CallExpr Call, MacroStmt Caller, int Line) : Stmt(Line);

/// <summary><c>{% filter f(args) | g %}body{% endfilter %}</c>.</summary>
internal sealed record FilterBlockStmt(FilterExpr Filter, IReadOnlyList<Stmt> Body, int Line) : Stmt(Line);

internal sealed record WithStmt(IReadOnlyList<(Expr Target, Expr Value)> Assignments, IReadOnlyList<Stmt> Body, int Line) : Stmt(Line);

/// <summary>HuggingFace's <c>{% generation %}</c> block: renders its body (it only marks assistant spans).</summary>
internal sealed record GenerationStmt(IReadOnlyList<Stmt> Body, int Line) : Stmt(Line);

internal sealed record BreakStmt(int Line) : Stmt(Line);

internal sealed record ContinueStmt(int Line) : Stmt(Line);

/// <summary><c>{% print expr %}</c>.</summary>
internal sealed record PrintStmt(IReadOnlyList<Expr> Values, int Line) : Stmt(Line);
