using System.Runtime.CompilerServices;
using System.Text;
using KvGrid.Templating.Parsing;
using KvGrid.Templating.Runtime.Builtins;
using KvGrid.Templating.Runtime.Callables;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime;

/// <summary>
/// Tree-walking evaluator for one render: executes statements into an output buffer and evaluates
/// expressions with Python semantics. Runtime errors get the line of the innermost node that failed.
/// </summary>
internal sealed class Interpreter
{
    // jinja2 hits Python's recursion limit after ~150 nested macro calls; each macro level counts twice here.
    private const int MaxCallDepth = 400;

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    private StringBuilder _output = new();
    private int _callDepth;

    private readonly HashSet<Expr>? _foldCandidates;
    private readonly Dictionary<IReadOnlyList<Stmt>, string[]>? _undefinedAtStart;

    /// <param name="foldCandidates">Expressions jinja2's constant folding could change (see <see cref="ConstantFolding"/>), or null.</param>
    /// <param name="undefinedAtStart">Per frame body, names jinja2 starts as undefined (see <see cref="ScopeAnalysis"/>), or null.</param>
    public Interpreter(JinjaEnvironmentOptions options, HashSet<Expr>? foldCandidates = null, Dictionary<IReadOnlyList<Stmt>, string[]>? undefinedAtStart = null)
    {
        Options = options;
        _foldCandidates = foldCandidates is { Count: > 0 } ? foldCandidates : null;
        _undefinedAtStart = undefinedAtStart is { Count: > 0 } ? undefinedAtStart : null;
    }

    /// <summary>A new variable frame for <paramref name="body"/>, with jinja2's undefined-at-start names set.</summary>
    public Scope NewFrame(Scope parent, IReadOnlyList<Stmt> body)
    {
        var frame = new Scope(parent);
        InitializeFrame(frame, body);
        return frame;
    }

    private void InitializeFrame(Scope frame, IReadOnlyList<Stmt> body)
    {
        if (_undefinedAtStart is not null && _undefinedAtStart.TryGetValue(body, out var names))
        {
            foreach (var name in names)
                frame.Set(name, Undefined.Missing(name));
        }
    }

    public JinjaEnvironmentOptions Options { get; }

    /// <summary>Renders the template body in a root frame below <paramref name="context"/> (the caller's variables).</summary>
    public string Render(IReadOnlyList<Stmt> body, Scope context)
    {
        _output = new StringBuilder(1024);
        Execute(body, NewFrame(context, body));
        return _output.ToString();
    }

    /// <summary>Renders a macro (or call-block caller) body into its own buffer and returns the text.</summary>
    public string RenderMacroBody(IReadOnlyList<Stmt> body, Scope scope)
    {
        if (++_callDepth > MaxCallDepth)
            throw new JinjaRuntimeError("maximum recursion depth exceeded", "RecursionError");
        try
        {
            InitializeFrame(scope, body);
            return Capture(body, scope);
        }
        finally
        {
            _callDepth--;
        }
    }

    private string Capture(IReadOnlyList<Stmt> body, Scope scope)
    {
        var saved = _output;
        _output = new StringBuilder();
        try
        {
            Execute(body, scope);
            return _output.ToString();
        }
        finally
        {
            _output = saved;
        }
    }

    private Flow Execute(IReadOnlyList<Stmt> body, Scope scope)
    {
        for (var i = 0; i < body.Count; i++)
        {
            var flow = Execute(body[i], scope);
            if (flow != Flow.Normal)
                return flow;
        }
        return Flow.Normal;
    }

    private Flow Execute(Stmt stmt, Scope scope)
    {
        EnsureStack();
        try
        {
            switch (stmt)
            {
                case DataStmt data:
                    _output.Append(data.Text);
                    return Flow.Normal;
                case OutputStmt output:
                    // jinja2 prints a constant output expression's value directly, even an undefined one.
                    if (_foldCandidates is not null && _foldCandidates.Contains(output.Value) && ConstantEvaluator.TryEvaluate(this, output.Value, out var folded))
                        AppendValue(folded);
                    else
                        AppendValue(Evaluate(output.Value, scope));
                    return Flow.Normal;
                case IfStmt ifStmt:
                    foreach (var (test, branch) in ifStmt.Branches)
                    {
                        if (PyTypes.Truthy(Evaluate(test, scope)))
                            return Execute(branch, scope);
                    }
                    return Execute(ifStmt.Else, scope);
                case ForStmt forStmt:
                    ExecuteFor(forStmt, scope, Evaluate(forStmt.Iterable, scope), 0);
                    return Flow.Normal;
                case SetStmt set:
                    Assign(set.Target, Evaluate(set.Value, scope), scope);
                    return Flow.Normal;
                case SetBlockStmt setBlock:
                    object? captured = Capture(setBlock.Body, NewFrame(scope, setBlock.Body));
                    if (setBlock.Filter is not null)
                        captured = ApplyFilter(setBlock.Filter, scope, captured);
                    Assign(setBlock.Target, captured, scope);
                    return Flow.Normal;
                case MacroStmt macro:
                    scope.Set(macro.Name, new Macro(macro, scope));
                    return Flow.Normal;
                case CallBlockStmt callBlock:
                    var caller = new Macro(callBlock.Caller, scope);
                    AppendValue(EvaluateCall(callBlock.Call, scope, caller));
                    return Flow.Normal;
                case FilterBlockStmt filterBlock:
                    AppendValue(ApplyFilter(filterBlock.Filter, scope, Capture(filterBlock.Body, NewFrame(scope, filterBlock.Body))));
                    return Flow.Normal;
                case WithStmt with:
                    var inner = NewFrame(scope, with.Body);
                    foreach (var (target, value) in with.Assignments)
                        Assign(target, Evaluate(value, scope), inner);
                    return Execute(with.Body, inner);
                case GenerationStmt generation:
                    // A call block in jinja2 (the body is a caller macro): assignments inside stay inside.
                    AppendValue(Capture(generation.Body, NewFrame(scope, generation.Body)));
                    return Flow.Normal;
                case BreakStmt:
                    return Flow.Break;
                case ContinueStmt:
                    return Flow.Continue;
                case PrintStmt print:
                    foreach (var value in print.Values)
                        AppendValue(Evaluate(value, scope));
                    return Flow.Normal;
                default:
                    throw new InvalidOperationException($"unknown statement {stmt.GetType().Name}");
            }
        }
        catch (JinjaRuntimeError error) when (error.Line is null)
        {
            error.Line = stmt.Line;
            throw;
        }
    }

    private void AppendValue(object? value)
    {
        if (value is string s)
            _output.Append(s);
        else
            _output.Append(PyText.Str(value));
    }

    private void ExecuteFor(ForStmt loop, Scope scope, object? iterable, int depth0)
    {
        var items = PyIteration.ToList(iterable);
        if (loop.Filter is not null)
        {
            var kept = new List<object?>(items.Count);
            foreach (var item in items)
            {
                var filterScope = new Scope(scope);
                Assign(loop.Target, item, filterScope);
                if (PyTypes.Truthy(Evaluate(loop.Filter, filterScope)))
                    kept.Add(item);
            }
            items = kept;
        }
        Func<object?, int, string>? recurse = loop.Recursive
            ? (children, depth) => CaptureLoop(loop, scope, children, depth)
            : null;
        var context = new LoopContext(items, depth0, recurse);
        // jinja2 clears its "no iteration" flag at the end of the body, so iterations left through
        // continue or break do not count: the else block runs unless one iteration ran to the end.
        var completedIteration = false;
        for (var i = 0; i < items.Count; i++)
        {
            context.Index0 = i;
            var iterationScope = NewFrame(scope, loop.Body);
            Assign(loop.Target, items[i], iterationScope);
            iterationScope.Set("loop", context);
            var flow = Execute(loop.Body, iterationScope);
            if (flow == Flow.Break)
                break;
            if (flow == Flow.Normal)
                completedIteration = true;
        }
        if (!completedIteration && loop.Else.Count > 0)
            Execute(loop.Else, NewFrame(scope, loop.Else));
    }

    private string CaptureLoop(ForStmt loop, Scope scope, object? children, int depth0)
    {
        if (++_callDepth > MaxCallDepth)
            throw new JinjaRuntimeError("maximum recursion depth exceeded", "RecursionError");
        var saved = _output;
        _output = new StringBuilder();
        try
        {
            ExecuteFor(loop, scope, children, depth0);
            return _output.ToString();
        }
        finally
        {
            _output = saved;
            _callDepth--;
        }
    }

    private void Assign(Expr target, object? value, Scope scope)
    {
        switch (target)
        {
            case NameExpr name:
                scope.Set(name.Name, value);
                break;
            case TupleExpr tuple:
                var items = value is Undefined u ? throw u.Fail()
                    : PyIteration.IsIterable(value) ? PyIteration.ToList(value)
                    : throw new JinjaRuntimeError($"cannot unpack non-iterable {PyTypes.Name(value)} object");
                if (items.Count < tuple.Items.Count)
                    throw new JinjaRuntimeError($"not enough values to unpack (expected {tuple.Items.Count}, got {items.Count})", "ValueError");
                if (items.Count > tuple.Items.Count)
                    throw new JinjaRuntimeError($"too many values to unpack (expected {tuple.Items.Count})", "ValueError");
                for (var i = 0; i < items.Count; i++)
                    Assign(tuple.Items[i], items[i], scope);
                break;
            case NamespaceRefExpr nsRef:
                if (!scope.TryLookup(nsRef.Name, out var ns) || ns is not Namespace namespaceObject)
                    throw new JinjaRuntimeError("cannot assign attribute on non-namespace object");
                namespaceObject.Attributes[nsRef.Attribute] = value;
                break;
            default:
                throw new JinjaRuntimeError($"can't assign to {target.GetType().Name}");
        }
    }

    /// <summary>Deep template recursion must end in a template error, never in a process-killing stack overflow.</summary>
    private static void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new JinjaRuntimeError("maximum recursion depth exceeded", "RecursionError");
    }

    public object? Evaluate(Expr expr, Scope scope)
    {
        EnsureStack();
        if (_foldCandidates is not null && _foldCandidates.Contains(expr)
            && ConstantEvaluator.TryEvaluate(this, expr, out var folded) && ConstantEvaluator.HasSafeRepr(folded))
            return folded;
        try
        {
            return EvaluateCore(expr, scope);
        }
        catch (JinjaRuntimeError error) when (error.Line is null)
        {
            error.Line = expr.Line;
            throw;
        }
    }

    private object? EvaluateCore(Expr expr, Scope scope)
    {
        switch (expr)
        {
            case ConstExpr constant:
                return constant.Value;
            case NameExpr name:
                if (scope.TryLookup(name.Name, out var value))
                    return value;
                return Globals.TryGet(name.Name, out var global) ? global : Undefined.Missing(name.Name);
            case GetAttrExpr getAttr:
                return MemberAccess.GetAttribute(Evaluate(getAttr.Target, scope), getAttr.Attribute);
            case GetItemExpr getItem:
                var target = Evaluate(getItem.Target, scope);
                if (getItem.Key is SliceExpr slice)
                {
                    var start = slice.Start is null ? null : Evaluate(slice.Start, scope);
                    var stop = slice.Stop is null ? null : Evaluate(slice.Stop, scope);
                    var step = slice.Step is null ? null : Evaluate(slice.Step, scope);
                    return MemberAccess.Slice(target, start, stop, step);
                }
                return MemberAccess.GetItem(target, Evaluate(getItem.Key, scope));
            case BinaryExpr binary:
                return PyArithmetic.Binary(binary.Op, Evaluate(binary.Left, scope), Evaluate(binary.Right, scope));
            case ConcatExpr concat:
                var sb = new StringBuilder();
                foreach (var part in concat.Parts)
                    sb.Append(PyText.Str(Evaluate(part, scope)));
                return sb.ToString();
            case AndExpr and:
                var left = Evaluate(and.Left, scope);
                return PyTypes.Truthy(left) ? Evaluate(and.Right, scope) : left;
            case OrExpr or:
                var first = Evaluate(or.Left, scope);
                return PyTypes.Truthy(first) ? first : Evaluate(or.Right, scope);
            case UnaryExpr unary:
                var operand = Evaluate(unary.Operand, scope);
                return unary.Op switch
                {
                    UnaryOp.Not => !PyTypes.Truthy(operand),
                    UnaryOp.Negate => PyArithmetic.Negate(operand),
                    _ => PyArithmetic.Plus(operand),
                };
            case CompareExpr compare:
                return EvaluateCompare(compare, scope);
            case CondExpr cond:
                if (PyTypes.Truthy(Evaluate(cond.Test, scope)))
                    return Evaluate(cond.Then, scope);
                return cond.Else is null
                    ? Undefined.WithHint($"the inline if-expression on line {cond.Line} evaluated to false and no else section was defined.")
                    : Evaluate(cond.Else, scope);
            case ListExpr list:
                var items = new List<object?>(list.Items.Count);
                foreach (var item in list.Items)
                    items.Add(Evaluate(item, scope));
                return items;
            case TupleExpr tuple:
                var tupleItems = new object?[tuple.Items.Count];
                for (var i = 0; i < tupleItems.Length; i++)
                    tupleItems[i] = Evaluate(tuple.Items[i], scope);
                return new PyTuple(tupleItems);
            case DictExpr dict:
                var result = new PyDict(dict.Pairs.Count);
                foreach (var (key, itemValue) in dict.Pairs)
                    result.Set(Evaluate(key, scope), Evaluate(itemValue, scope));
                return result;
            case CallExpr call:
                return EvaluateCall(call, scope, null);
            case FilterExpr filter:
                return ApplyFilter(filter, scope, null);
            case TestExpr test:
                return Tests.Invoke(test.Name, this, Evaluate(test.Input, scope), EvaluateArguments(test.Arguments, scope));
            case SliceExpr:
                throw new JinjaRuntimeError("slices are only valid inside []");
            default:
                throw new InvalidOperationException($"unknown expression {expr.GetType().Name}");
        }
    }

    private bool EvaluateCompare(CompareExpr compare, Scope scope)
    {
        var left = Evaluate(compare.First, scope);
        foreach (var (op, operandExpr) in compare.Rest)
        {
            var right = Evaluate(operandExpr, scope);
            var ok = op switch
            {
                "==" => PyCompare.AreEqual(left, right),
                "!=" => !PyCompare.AreEqual(left, right),
                "<" => PyCompare.Compare(left, right, op) < 0,
                "<=" => PyCompare.Compare(left, right, op) <= 0,
                ">" => PyCompare.Compare(left, right, op) > 0,
                ">=" => PyCompare.Compare(left, right, op) >= 0,
                "in" => PyCompare.Contains(right, left),
                "notin" => !PyCompare.Contains(right, left),
                _ => throw new InvalidOperationException(op),
            };
            if (!ok)
                return false;
            left = right;
        }
        return true;
    }

    /// <summary>Applies a filter (chain); a null innermost input is replaced by <paramref name="blockInput"/>.</summary>
    private object? ApplyFilter(FilterExpr filter, Scope scope, object? blockInput)
    {
        var input = filter.Input switch
        {
            null => blockInput,
            FilterExpr inner when blockInput is not null => ApplyFilter(inner, scope, blockInput),
            _ => Evaluate(filter.Input, scope),
        };
        try
        {
            return Filters.Invoke(filter.Name, this, input, EvaluateArguments(filter.Arguments, scope));
        }
        catch (JinjaRuntimeError error) when (error.Line is null)
        {
            error.Line = filter.Line;
            throw;
        }
    }

    public Arguments EvaluateArguments(CallArguments arguments, Scope scope)
    {
        if (ReferenceEquals(arguments, CallArguments.None))
            return Arguments.Empty;
        var positional = new List<object?>(arguments.Positional.Count);
        foreach (var arg in arguments.Positional)
            positional.Add(Evaluate(arg, scope));
        Dictionary<string, object?>? named = null;
        if (arguments.Named.Count > 0)
        {
            named = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, value) in arguments.Named)
                named[name] = Evaluate(value, scope);
        }
        if (arguments.DynamicPositional is not null)
            positional.AddRange(PyIteration.Iterate(Evaluate(arguments.DynamicPositional, scope)));
        if (arguments.DynamicNamed is not null)
        {
            if (Evaluate(arguments.DynamicNamed, scope) is not PyDict dict)
                throw new JinjaRuntimeError("argument after ** must be a mapping");
            named ??= new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var pair in dict.Items)
                named[PyTypes.AsString(pair.Key) ?? throw new JinjaRuntimeError("keywords must be strings")] = pair.Value;
        }
        return new Arguments(positional, named);
    }

    private object? EvaluateCall(CallExpr call, Scope scope, Macro? caller)
    {
        var target = Evaluate(call.Target, scope);
        var arguments = EvaluateArguments(call.Arguments, scope);
        if (caller is not null)
            arguments = new Arguments(arguments.Positional, new Dictionary<string, object?>(arguments.Named) { ["caller"] = caller });
        return Call(target, arguments);
    }

    public object? Call(object? target, Arguments arguments)
    {
        switch (target)
        {
            case IPyCallable callable:
                if (++_callDepth > MaxCallDepth)
                    throw new JinjaRuntimeError("maximum recursion depth exceeded", "RecursionError");
                try
                {
                    return callable.Call(this, arguments);
                }
                finally
                {
                    _callDepth--;
                }
            case LoopContext loop:
                return loop.Call(arguments);
            case Undefined undefined:
                throw undefined.Fail();
            default:
                throw new JinjaRuntimeError($"'{PyTypes.Name(target)}' object is not callable");
        }
    }
}
