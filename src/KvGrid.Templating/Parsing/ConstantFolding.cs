namespace KvGrid.Templating.Parsing;

/// <summary>
/// Finds the expressions whose value jinja2's compile-time constant folding could change. jinja2 folds every
/// literal-only subexpression with <c>as_const</c>, where subscripts go through <c>environment.getitem</c>;
/// at run time slices are plain Python subscripts. So only a slice of a constant can differ (undefined when
/// folded, TypeError at run time), and only it and its ancestors need the folding treatment. Slices of
/// variables (<c>messages[1:]</c>) are never constant and are left out to keep rendering fast.
/// </summary>
internal static class ConstantFolding
{
    public static HashSet<Expr> FindCandidates(IReadOnlyList<Stmt> body)
    {
        var candidates = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
        foreach (var expr in AstWalker.Expressions(body))
            Visit(expr, candidates);
        return candidates;
    }

    /// <summary>Marks <paramref name="expr"/> and its ancestors-to-be when it contains a slice of a literal.</summary>
    private static bool Visit(Expr? expr, HashSet<Expr> candidates)
    {
        if (expr is null)
            return false;
        var found = false;
        foreach (var child in AstWalker.Children(expr))
            found |= Visit(child, candidates);
        if (expr is GetItemExpr { Key: SliceExpr } item && !IsVariableAccess(item.Target))
            found = true;
        if (found)
            candidates.Add(expr);
        return found;
    }

    /// <summary>A variable or an attribute/item/call chain on one: never constant (the common <c>messages[1:]</c>).</summary>
    private static bool IsVariableAccess(Expr expr) => expr switch
    {
        NameExpr => true,
        GetAttrExpr g => IsVariableAccess(g.Target),
        GetItemExpr g => IsVariableAccess(g.Target),
        CallExpr c => IsVariableAccess(c.Target),
        FilterExpr { Input: not null } f => IsVariableAccess(f.Input),
        _ => false,
    };
}
