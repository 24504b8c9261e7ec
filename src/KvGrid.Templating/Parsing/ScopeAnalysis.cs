namespace KvGrid.Templating.Parsing;

/// <summary>
/// Port of jinja2's compile-time symbol tracking (<c>jinja2.idtracking</c>): for every frame (template root,
/// loop body, loop else, macro and caller bodies, set/filter/with/generation blocks) it finds the names jinja2
/// initializes as undefined instead of resolving them from the context or the enclosing frame. That happens
/// when a name's first reference in a frame is an unconditional assignment and no enclosing frame references
/// it: e.g. a loop that prints <c>a</c> before a later top-level <c>{% set a = ... %}</c> prints '' even when
/// the caller passed <c>a</c>.
/// </summary>
internal static class ScopeAnalysis
{
    private enum Load
    {
        Resolve,
        Alias,
        Undefined,
        Parameter,
    }

    private sealed class Symbols
    {
        public Symbols(Symbols? parent) => Parent = parent;

        public Symbols? Parent { get; }

        public Dictionary<string, Load> Refs { get; private init; } = new(StringComparer.Ordinal);

        public HashSet<string> Stores { get; private init; } = new(StringComparer.Ordinal);

        public Symbols Copy() => new(Parent) { Refs = new(Refs, StringComparer.Ordinal), Stores = new(Stores, StringComparer.Ordinal) };

        public bool HasRef(string name) => Refs.ContainsKey(name) || (Parent?.HasRef(name) ?? false);

        public void LoadName(string name)
        {
            if (!HasRef(name))
                Refs[name] = Load.Resolve;
        }

        public void Store(string name)
        {
            Stores.Add(name);
            if (!Refs.ContainsKey(name))
                Refs[name] = Parent?.HasRef(name) == true ? Load.Alias : Load.Undefined;
        }

        public void DeclareParameter(string name)
        {
            Stores.Add(name);
            Refs[name] = Load.Parameter;
        }

        /// <summary>jinja2's <c>Symbols.branch_update</c> after visiting the three branch groups of an if.</summary>
        public void BranchUpdate(IReadOnlyList<Symbols> branches)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var branch in branches)
            {
                foreach (var name in branch.Stores)
                {
                    if (!Stores.Contains(name))
                        counts[name] = counts.GetValueOrDefault(name) + 1;
                }
            }
            foreach (var branch in branches)
            {
                foreach (var pair in branch.Refs)
                    Refs[pair.Key] = pair.Value;
                Stores.UnionWith(branch.Stores);
            }
            foreach (var (name, count) in counts)
            {
                if (count == branches.Count)
                    continue;
                Refs[name] = Parent?.HasRef(name) == true ? Load.Alias : Load.Resolve;
            }
        }
    }

    /// <summary>Frame body (by reference) → names that start out undefined in that frame.</summary>
    public static Dictionary<IReadOnlyList<Stmt>, string[]> Analyze(IReadOnlyList<Stmt> template)
    {
        var result = new Dictionary<IReadOnlyList<Stmt>, string[]>(ReferenceEqualityComparer.Instance);
        AnalyzeFrame(template, null, [], result);
        return result;
    }

    private static void AnalyzeFrame(IReadOnlyList<Stmt> body, Symbols? parent, IEnumerable<string> parameters, Dictionary<IReadOnlyList<Stmt>, string[]> result)
    {
        var symbols = new Symbols(parent);
        foreach (var parameter in parameters)
            symbols.DeclareParameter(parameter);
        var children = new List<(IReadOnlyList<Stmt> Body, IEnumerable<string> Parameters)>();
        var visitor = new FrameVisitor(children);
        symbols = visitor.VisitBody(body, symbols);
        var undefined = symbols.Refs.Where(p => p.Value == Load.Undefined).Select(p => p.Key).ToArray();
        if (undefined.Length > 0)
            result[body] = undefined;
        foreach (var (childBody, childParameters) in children)
            AnalyzeFrame(childBody, symbols, childParameters, result);
    }

    /// <summary>jinja2's FrameSymbolVisitor: loads and stores of one frame; nested frames are queued.</summary>
    private sealed class FrameVisitor(List<(IReadOnlyList<Stmt> Body, IEnumerable<string> Parameters)> children)
    {
        private Symbols _symbols = null!;

        public Symbols VisitBody(IEnumerable<Stmt> body, Symbols symbols)
        {
            _symbols = symbols;
            foreach (var stmt in body)
                Visit(stmt);
            return _symbols;
        }

        private void Visit(Stmt stmt)
        {
            switch (stmt)
            {
                case OutputStmt o:
                    Loads(o.Value);
                    break;
                case PrintStmt p:
                    foreach (var value in p.Values)
                        Loads(value);
                    break;
                case IfStmt i:
                    VisitIf(i.Branches, 0, i.Else);
                    break;
                case ForStmt f:
                    Loads(f.Iterable);
                    children.Add((f.Body, TargetNames(f.Target).Append("loop")));
                    if (f.Else.Count > 0)
                        children.Add((f.Else, []));
                    break;
                case SetStmt s:
                    Loads(s.Value);
                    StoreTarget(s.Target);
                    break;
                case SetBlockStmt s:
                    StoreTarget(s.Target);
                    children.Add((s.Body, []));
                    break;
                case MacroStmt m:
                    _symbols.Store(m.Name);
                    AddMacroFrame(m);
                    break;
                case CallBlockStmt c:
                    Loads(c.Call);
                    AddMacroFrame(c.Caller);
                    break;
                case FilterBlockStmt f:
                    Loads(f.Filter);
                    children.Add((f.Body, []));
                    break;
                case WithStmt w:
                    foreach (var (_, value) in w.Assignments)
                        Loads(value);
                    children.Add((w.Body, w.Assignments.SelectMany(a => TargetNames(a.Target)).ToList()));
                    break;
                case GenerationStmt g:
                    children.Add((g.Body, []));
                    break;
            }
        }

        private void AddMacroFrame(MacroStmt macro)
        {
            var parameters = macro.Parameters.Select(p => p.Name).ToList();
            if (macro.UsesVarargs)
                parameters.Add("varargs");
            if (macro.UsesKwargs)
                parameters.Add("kwargs");
            if (macro.UsesCaller)
                parameters.Add("caller");
            children.Add((macro.Body, parameters));
        }

        /// <summary>jinja2's visit_If: the test in this frame; body, elif group and else visited on copies.</summary>
        private void VisitIf(IReadOnlyList<(Expr Test, IReadOnlyList<Stmt> Body)> branches, int index, IReadOnlyList<Stmt> elseBody)
        {
            Loads(branches[index].Test);
            var original = _symbols;
            Symbols InnerVisit(Action visit)
            {
                _symbols = original.Copy();
                visit();
                var visited = _symbols;
                _symbols = original;
                return visited;
            }
            var bodySymbols = InnerVisit(() =>
            {
                foreach (var stmt in branches[index].Body)
                    Visit(stmt);
            });
            // jinja2 keeps each elif as a nested If (with empty else) in the elif_ list of the first one.
            var elifSymbols = InnerVisit(() =>
            {
                if (index == 0)
                {
                    for (var e = 1; e < branches.Count; e++)
                        VisitIf(branches, e, []);
                }
            });
            var elseSymbols = InnerVisit(() =>
            {
                if (index == 0)
                {
                    foreach (var stmt in elseBody)
                        Visit(stmt);
                }
            });
            _symbols.BranchUpdate([bodySymbols, elifSymbols, elseSymbols]);
        }

        private void StoreTarget(Expr target)
        {
            if (target is NamespaceRefExpr ns)
            {
                _symbols.LoadName(ns.Name);
                return;
            }
            foreach (var name in TargetNames(target))
                _symbols.Store(name);
        }

        private void Loads(Expr? expr)
        {
            if (expr is null)
                return;
            if (expr is NameExpr name)
            {
                _symbols.LoadName(name.Name);
                return;
            }
            foreach (var child in AstWalker.Children(expr))
                Loads(child);
        }
    }

    private static IEnumerable<string> TargetNames(Expr target) => target switch
    {
        NameExpr n => [n.Name],
        TupleExpr t => t.Items.SelectMany(TargetNames),
        _ => [],
    };
}
