namespace KvGrid.Templating.Parsing;

/// <summary>Enumerates the expressions of a template body and the children of an expression.</summary>
internal static class AstWalker
{
    public static IEnumerable<Expr> Expressions(IEnumerable<Stmt> body)
    {
        foreach (var stmt in body)
        {
            switch (stmt)
            {
                case OutputStmt o:
                    yield return o.Value;
                    break;
                case IfStmt i:
                    foreach (var (test, branch) in i.Branches)
                    {
                        yield return test;
                        foreach (var e in Expressions(branch))
                            yield return e;
                    }
                    foreach (var e in Expressions(i.Else))
                        yield return e;
                    break;
                case ForStmt f:
                    yield return f.Iterable;
                    if (f.Filter is not null)
                        yield return f.Filter;
                    foreach (var e in Expressions(f.Body).Concat(Expressions(f.Else)))
                        yield return e;
                    break;
                case SetStmt s:
                    yield return s.Value;
                    break;
                case SetBlockStmt s:
                    if (s.Filter is not null)
                        yield return s.Filter;
                    foreach (var e in Expressions(s.Body))
                        yield return e;
                    break;
                case MacroStmt m:
                    foreach (var p in m.Parameters)
                    {
                        if (p.Default is not null)
                            yield return p.Default;
                    }
                    foreach (var e in Expressions(m.Body))
                        yield return e;
                    break;
                case CallBlockStmt c:
                    yield return c.Call;
                    foreach (var e in Expressions([c.Caller]))
                        yield return e;
                    break;
                case FilterBlockStmt f:
                    yield return f.Filter;
                    foreach (var e in Expressions(f.Body))
                        yield return e;
                    break;
                case WithStmt w:
                    foreach (var (_, value) in w.Assignments)
                        yield return value;
                    foreach (var e in Expressions(w.Body))
                        yield return e;
                    break;
                case GenerationStmt g:
                    foreach (var e in Expressions(g.Body))
                        yield return e;
                    break;
                case PrintStmt p:
                    foreach (var v in p.Values)
                        yield return v;
                    break;
            }
        }
    }

    public static IEnumerable<Expr> Children(Expr expr)
    {
        switch (expr)
        {
            case TupleExpr t:
                return t.Items;
            case ListExpr l:
                return l.Items;
            case DictExpr d:
                return d.Pairs.SelectMany(p => new[] { p.Key, p.Value });
            case GetAttrExpr g:
                return [g.Target];
            case GetItemExpr g:
                return [g.Target, g.Key];
            case SliceExpr s:
                return new[] { s.Start, s.Stop, s.Step }.OfType<Expr>();
            case CallExpr c:
                return Arguments(c.Arguments).Prepend(c.Target);
            case FilterExpr f:
                return f.Input is null ? Arguments(f.Arguments) : Arguments(f.Arguments).Prepend(f.Input);
            case TestExpr t:
                return Arguments(t.Arguments).Prepend(t.Input);
            case UnaryExpr u:
                return [u.Operand];
            case BinaryExpr b:
                return [b.Left, b.Right];
            case AndExpr a:
                return [a.Left, a.Right];
            case OrExpr o:
                return [o.Left, o.Right];
            case CompareExpr c:
                return c.Rest.Select(r => r.Operand).Prepend(c.First);
            case ConcatExpr c:
                return c.Parts;
            case CondExpr c:
                return c.Else is null ? [c.Test, c.Then] : [c.Test, c.Then, c.Else];
            default:
                return [];
        }
    }

    private static IEnumerable<Expr> Arguments(CallArguments args) =>
        args.Positional.Concat(args.Named.Select(n => n.Value)).Concat(new[] { args.DynamicPositional, args.DynamicNamed }.OfType<Expr>());
}
