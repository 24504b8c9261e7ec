using KvGrid.Templating.Runtime.Formatting;

namespace KvGrid.Templating.Runtime.Values;

/// <summary>Python's binary and unary arithmetic operators (ints are 64-bit; overflow is an error).</summary>
internal static class PyArithmetic
{
    public static object? Binary(string op, object? a, object? b)
    {
        if (a is Undefined ua)
            throw ua.Fail();
        // str % x is handled by str itself; only other left operands defer to Undefined.__rmod__ (which fails).
        if (b is Undefined ub && !(op == "%" && PyTypes.IsString(a)))
            throw ub.Fail();
        try
        {
            return op switch
            {
                "+" => Add(a, b),
                "-" => Numeric(op, a, b, (x, y) => checked(x - y), (x, y) => x - y),
                "*" => Multiply(a, b),
                "/" => Divide(a, b),
                "//" => FloorDivide(a, b),
                "%" => Modulo(a, b),
                "**" => Power(a, b),
                _ => throw new InvalidOperationException(op),
            };
        }
        catch (OverflowException)
        {
            throw new JinjaRuntimeError("integer overflow: values beyond 64 bits are not supported", "OverflowError");
        }
    }

    public static object? Negate(object? a) => a switch
    {
        Undefined u => throw u.Fail(),
        long l => (object)checked(-l),
        bool b => b ? -1L : 0L,
        double d => -d,
        _ => throw new JinjaRuntimeError($"bad operand type for unary -: '{PyTypes.Name(a)}'"),
    };

    public static object? Plus(object? a) => a switch
    {
        Undefined u => throw u.Fail(),
        long or double => a,
        bool b => (object)(b ? 1L : 0L),
        _ => throw new JinjaRuntimeError($"bad operand type for unary +: '{PyTypes.Name(a)}'"),
    };

    private static object? Add(object? a, object? b)
    {
        if (a is string sa && b is string sb)
            return string.Concat(sa, sb);
        if (a is Markup ma && PyTypes.IsString(b))
            return new Markup(ma.Value + HtmlEscaping.EscapeUnlessMarkup(b));
        if (b is Markup mb && a is string sa2)
            return new Markup(HtmlEscaping.Escape(sa2) + mb.Value);
        if (a is List<object?> la && b is List<object?> lb)
        {
            var result = new List<object?>(la.Count + lb.Count);
            result.AddRange(la);
            result.AddRange(lb);
            return result;
        }
        if (a is PyTuple ta && b is PyTuple tb)
            return new PyTuple([.. ta.Items, .. tb.Items]);
        if (PyTypes.IsNumber(a) && PyTypes.IsNumber(b))
            return Numeric("+", a, b, (x, y) => checked(x + y), (x, y) => x + y);
        if (a is string)
            throw new JinjaRuntimeError($"can only concatenate str (not \"{PyTypes.Name(b)}\") to str");
        if (a is List<object?>)
            throw new JinjaRuntimeError($"can only concatenate list (not \"{PyTypes.Name(b)}\") to list");
        if (a is PyTuple)
            throw new JinjaRuntimeError($"can only concatenate tuple (not \"{PyTypes.Name(b)}\") to tuple");
        throw Unsupported("+", a, b);
    }

    private static object? Multiply(object? a, object? b)
    {
        if (PyTypes.IsNumber(a) && PyTypes.IsNumber(b))
            return Numeric("*", a, b, (x, y) => checked(x * y), (x, y) => x * y);
        if (PyTypes.IsInteger(b))
            return Repeat(a, PyTypes.ToLong(b)) ?? throw Unsupported("*", a, b);
        if (PyTypes.IsInteger(a))
            return Repeat(b, PyTypes.ToLong(a)) ?? throw Unsupported("*", a, b);
        if (PyTypes.IsString(a) || a is List<object?> || a is PyTuple)
            throw new JinjaRuntimeError($"can't multiply sequence by non-int of type '{PyTypes.Name(b)}'");
        if (PyTypes.IsString(b) || b is List<object?> || b is PyTuple)
            throw new JinjaRuntimeError($"can't multiply sequence by non-int of type '{PyTypes.Name(a)}'");
        throw Unsupported("*", a, b);
    }

    private static object? Repeat(object? sequence, long times)
    {
        var n = (int)Math.Clamp(times, 0, int.MaxValue);
        switch (sequence)
        {
            case string s:
                return n == 0 || s.Length == 0 ? "" : new System.Text.StringBuilder(s.Length * n).Insert(0, s, n).ToString();
            case Markup m:
                return new Markup(n == 0 ? "" : new System.Text.StringBuilder().Insert(0, m.Value, n).ToString());
            case List<object?> list:
                var result = new List<object?>(list.Count * n);
                for (var i = 0; i < n; i++)
                    result.AddRange(list);
                return result;
            case PyTuple tuple:
                var items = new List<object?>();
                for (var i = 0; i < n; i++)
                    items.AddRange(tuple.Items);
                return new PyTuple(items.ToArray());
            default:
                return null;
        }
    }

    private static object Divide(object? a, object? b)
    {
        if (!PyTypes.IsNumber(a) || !PyTypes.IsNumber(b))
            throw Unsupported("/", a, b);
        var y = PyTypes.ToDouble(b);
        if (y == 0)
            throw new JinjaRuntimeError(a is double || b is double ? "float division by zero" : "division by zero", "ZeroDivisionError");
        return PyTypes.ToDouble(a) / y;
    }

    private static object FloorDivide(object? a, object? b)
    {
        if (!PyTypes.IsNumber(a) || !PyTypes.IsNumber(b))
            throw Unsupported("//", a, b);
        if (a is double || b is double)
        {
            var (div, _) = FloatDivMod(PyTypes.ToDouble(a), PyTypes.ToDouble(b), "float floor division by zero");
            return div;
        }
        var x = PyTypes.ToLong(a);
        var y = PyTypes.ToLong(b);
        if (y == 0)
            throw new JinjaRuntimeError("integer division or modulo by zero", "ZeroDivisionError");
        var q = checked(x / y);
        if (x % y != 0 && (x < 0) != (y < 0))
            q--;
        return q;
    }

    private static object Modulo(object? a, object? b)
    {
        if (PyTypes.IsString(a))
            return PercentFormatter.Format(PyTypes.AsString(a)!, b);
        if (!PyTypes.IsNumber(a) || !PyTypes.IsNumber(b))
            throw Unsupported("%", a, b);
        if (a is double || b is double)
            return FloatDivMod(PyTypes.ToDouble(a), PyTypes.ToDouble(b), "float modulo").Mod;
        var x = PyTypes.ToLong(a);
        var y = PyTypes.ToLong(b);
        if (y == 0)
            throw new JinjaRuntimeError("integer modulo by zero", "ZeroDivisionError");
        var r = x % y;
        if (r != 0 && (r < 0) != (y < 0))
            r += y;
        return r;
    }

    /// <summary>CPython's <c>float_divmod</c>.</summary>
    private static (double Div, double Mod) FloatDivMod(double vx, double wx, string zeroMessage)
    {
        if (wx == 0)
            throw new JinjaRuntimeError(zeroMessage, "ZeroDivisionError");
        var mod = vx % wx; // C fmod semantics, as CPython
        var div = (vx - mod) / wx;
        if (mod != 0)
        {
            if ((wx < 0) != (mod < 0))
            {
                mod += wx;
                div -= 1.0;
            }
        }
        else
        {
            mod = Math.CopySign(0.0, wx);
        }
        double floorDiv;
        if (div != 0)
        {
            floorDiv = Math.Floor(div);
            if (div - floorDiv > 0.5)
                floorDiv += 1.0;
        }
        else
        {
            floorDiv = Math.CopySign(0.0, vx / wx);
        }
        return (floorDiv, mod);
    }

    private static object Power(object? a, object? b)
    {
        if (!PyTypes.IsNumber(a) || !PyTypes.IsNumber(b))
            throw Unsupported("** or pow()", a, b);
        if (a is double || b is double || PyTypes.ToLong(b) < 0)
        {
            var x = PyTypes.ToDouble(a);
            var y = PyTypes.ToDouble(b);
            if (x == 0 && y < 0)
                throw new JinjaRuntimeError("0.0 cannot be raised to a negative power", "ZeroDivisionError");
            var power = Math.Pow(x, y);
            if (double.IsInfinity(power) && double.IsFinite(x) && double.IsFinite(y))
                throw new JinjaRuntimeError("(34, 'Numerical result out of range')", "OverflowError");
            if (double.IsNaN(power) && x < 0 && !double.IsNaN(y))
                throw new JinjaRuntimeError("complex results are not supported (Python returns a complex number)", "ValueError");
            return power;
        }
        var baseValue = PyTypes.ToLong(a);
        var exponent = PyTypes.ToLong(b);
        long result = 1;
        while (exponent > 0)
        {
            if ((exponent & 1) == 1)
                result = checked(result * baseValue);
            exponent >>= 1;
            if (exponent > 0)
                baseValue = checked(baseValue * baseValue);
        }
        return result;
    }

    private static object Numeric(string op, object? a, object? b, Func<long, long, long> ints, Func<double, double, double> floats)
    {
        if (!PyTypes.IsNumber(a) || !PyTypes.IsNumber(b))
            throw Unsupported(op, a, b);
        if (a is double || b is double)
            return floats(PyTypes.ToDouble(a), PyTypes.ToDouble(b));
        return ints(PyTypes.ToLong(a), PyTypes.ToLong(b));
    }

    private static JinjaRuntimeError Unsupported(string op, object? a, object? b) =>
        new($"unsupported operand type(s) for {op}: '{PyTypes.Name(a)}' and '{PyTypes.Name(b)}'");
}
