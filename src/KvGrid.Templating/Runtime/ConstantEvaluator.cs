using KvGrid.Templating.Parsing;
using KvGrid.Templating.Runtime.Builtins;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime;

/// <summary>
/// jinja2's <c>Node.as_const</c>: the value an output expression has at compile time, if it is built from
/// literals only. jinja2 prints such values directly, and its constant subscripts go through
/// <c>environment.getitem</c>, so a failing slice of a constant prints '' instead of raising.
/// Any variable, call, context filter or error makes the expression non-constant.
/// </summary>
internal static class ConstantEvaluator
{
    private sealed class ImpossibleException : Exception
    {
    }

    /// <summary>Filters jinja2 will not fold because they need the render context.</summary>
    private static readonly HashSet<string> ContextFilters = ["select", "reject", "selectattr", "rejectattr", "map", "random"];

    public static bool TryEvaluate(Interpreter interpreter, Expr expr, out object? value)
    {
        try
        {
            value = Evaluate(interpreter, expr);
            return true;
        }
        catch (ImpossibleException)
        {
        }
        catch (JinjaRuntimeError)
        {
        }
        value = null;
        return false;
    }

    /// <summary>jinja2's <c>has_safe_repr</c>: only such values replace the folded expression.</summary>
    public static bool HasSafeRepr(object? value) => value switch
    {
        null or bool or long or double or string or Markup => true,
        PyTuple t => t.Items.All(HasSafeRepr),
        List<object?> l => l.All(HasSafeRepr),
        PyDict d => d.Items.All(p => HasSafeRepr(p.Key) && HasSafeRepr(p.Value)),
        _ => false,
    };

    private static object? Evaluate(Interpreter interpreter, Expr expr)
    {
        switch (expr)
        {
            case ConstExpr c:
                return c.Value;
            case ListExpr l:
                return l.Items.Select(i => Evaluate(interpreter, i)).ToList();
            case TupleExpr t:
                return new PyTuple(t.Items.Select(i => Evaluate(interpreter, i)).ToArray());
            case DictExpr d:
                var dict = new PyDict();
                foreach (var (key, item) in d.Pairs)
                    dict.Set(Evaluate(interpreter, key), Evaluate(interpreter, item));
                return dict;
            case UnaryExpr u:
                var operand = Evaluate(interpreter, u.Operand);
                return u.Op switch
                {
                    UnaryOp.Not => !PyTypes.Truthy(operand),
                    UnaryOp.Negate => PyArithmetic.Negate(operand),
                    _ => PyArithmetic.Plus(operand),
                };
            case BinaryExpr b:
                return PyArithmetic.Binary(b.Op, Evaluate(interpreter, b.Left), Evaluate(interpreter, b.Right));
            case ConcatExpr c:
                return string.Concat(c.Parts.Select(p => PyText.Str(Evaluate(interpreter, p))));
            case AndExpr a:
                var left = Evaluate(interpreter, a.Left);
                return PyTypes.Truthy(left) ? Evaluate(interpreter, a.Right) : left;
            case OrExpr o:
                var first = Evaluate(interpreter, o.Left);
                return PyTypes.Truthy(first) ? first : Evaluate(interpreter, o.Right);
            case CondExpr c:
                if (PyTypes.Truthy(Evaluate(interpreter, c.Test)))
                    return Evaluate(interpreter, c.Then);
                return c.Else is null ? throw new ImpossibleException() : Evaluate(interpreter, c.Else);
            case CompareExpr c:
                var current = Evaluate(interpreter, c.First);
                foreach (var (op, operandExpr) in c.Rest)
                {
                    var right = Evaluate(interpreter, operandExpr);
                    var ok = op switch
                    {
                        "==" => PyCompare.AreEqual(current, right),
                        "!=" => !PyCompare.AreEqual(current, right),
                        "<" => PyCompare.Compare(current, right, op) < 0,
                        "<=" => PyCompare.Compare(current, right, op) <= 0,
                        ">" => PyCompare.Compare(current, right, op) > 0,
                        ">=" => PyCompare.Compare(current, right, op) >= 0,
                        "in" => PyCompare.Contains(right, current),
                        _ => !PyCompare.Contains(right, current),
                    };
                    if (!ok)
                        return false;
                    current = right;
                }
                return true;
            case GetAttrExpr g:
                return MemberAccess.GetAttribute(Evaluate(interpreter, g.Target), g.Attribute);
            case GetItemExpr g when g.Key is SliceExpr s:
                var target = Evaluate(interpreter, g.Target);
                var start = s.Start is null ? null : Evaluate(interpreter, s.Start);
                var stop = s.Stop is null ? null : Evaluate(interpreter, s.Stop);
                var step = s.Step is null ? null : Evaluate(interpreter, s.Step);
                try
                {
                    return MemberAccess.Slice(target, start, stop, step);
                }
                catch (JinjaRuntimeError) when (target is not Undefined)
                {
                    string Bound(object? v) => v is null ? "None" : PyText.Repr(v);
                    return Undefined.WithHint($"{PyTypes.ObjectTypeRepr(target)} has no element slice({Bound(start)}, {Bound(stop)}, {Bound(step)})");
                }
            case GetItemExpr g:
                return MemberAccess.GetItem(Evaluate(interpreter, g.Target), Evaluate(interpreter, g.Key));
            case FilterExpr f when f.Input is not null && !ContextFilters.Contains(f.Name):
                return Filters.Invoke(f.Name, interpreter, Evaluate(interpreter, f.Input), Arguments(interpreter, f.Arguments));
            case TestExpr t:
                return Tests.Invoke(t.Name, interpreter, Evaluate(interpreter, t.Input), Arguments(interpreter, t.Arguments));
            default:
                throw new ImpossibleException();
        }
    }

    private static Arguments Arguments(Interpreter interpreter, CallArguments arguments)
    {
        if (arguments.DynamicPositional is not null || arguments.DynamicNamed is not null)
            throw new ImpossibleException();
        var named = arguments.Named.Count == 0 ? null : arguments.Named.ToDictionary(p => p.Name, p => Evaluate(interpreter, p.Value));
        return new Arguments(arguments.Positional.Select(p => Evaluate(interpreter, p)).ToList(), named);
    }
}
