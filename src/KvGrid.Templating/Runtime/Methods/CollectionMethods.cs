using KvGrid.Templating.Runtime.Callables;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Methods;

/// <summary>dict methods visible in the immutable sandbox; mutating ones are refused.</summary>
internal static class DictMethods
{
    private static readonly HashSet<string> Mutating = ["clear", "pop", "popitem", "setdefault", "update"];

    public static object? Get(PyDict dict, string name)
    {
        if (Mutating.Contains(name))
            return Undefined.Unsafe(dict, name);
        Func<Interpreter, object?, Arguments, object?>? body = name switch
        {
            "items" => (_, _, args) => { args.Check("items", 0); return dict.Items.Select(p => (object?)new PyTuple([p.Key, p.Value])).ToList(); },
            "keys" => (_, _, args) => { args.Check("keys", 0); return dict.Keys.ToList(); },
            "values" => (_, _, args) => { args.Check("values", 0); return dict.Values.ToList(); },
            "get" => (_, _, args) =>
            {
                if (args.Count is < 1 or > 2 || args.Named.Count > 0)
                    throw new JinjaRuntimeError($"get expected 1 or 2 arguments, got {args.Count}");
                return dict.TryGet(args.Positional[0], out var value) ? value : args.Count > 1 ? args.Positional[1] : null;
            },
            "copy" => (_, _, _) => dict.Copy(),
            _ => null,
        };
        return body is null ? null : new BoundMethod(dict, name, body);
    }
}

/// <summary>list and tuple methods visible in the immutable sandbox; mutating list methods are refused.</summary>
internal static class SequenceMethods
{
    // jinja2 3.1's sandbox lists only these for MutableSequence: pop and clear stay allowed (a known quirk).
    private static readonly HashSet<string> MutatingListMethods = ["append", "extend", "insert", "remove", "reverse", "sort"];

    public static object? Get(object? sequence, string name)
    {
        if (sequence is List<object?> && MutatingListMethods.Contains(name))
            return Undefined.Unsafe(sequence, name);
        var items = (IReadOnlyList<object?>)sequence!;
        Func<Interpreter, object?, Arguments, object?>? body = name switch
        {
            "index" => (_, _, args) =>
            {
                var needle = args.Required(0, "value", "index");
                var start = (int)Math.Clamp(NormalizeIndex(args, 1, items.Count, 0), 0, items.Count);
                var stop = (int)Math.Clamp(NormalizeIndex(args, 2, items.Count, items.Count), 0, items.Count);
                for (var i = start; i < stop; i++)
                {
                    if (PyCompare.AreEqual(items[i], needle))
                        return (long)i;
                }
                throw new JinjaRuntimeError(sequence is PyTuple ? "tuple.index(x): x not in tuple" : $"{PyText.Repr(needle)} is not in list", "ValueError");
            },
            "count" => (_, _, args) =>
            {
                var needle = args.Required(0, "value", "count");
                return (long)items.Count(x => PyCompare.AreEqual(x, needle));
            },
            "copy" when sequence is List<object?> list => (_, _, _) => new List<object?>(list),
            "pop" when sequence is List<object?> list => (_, _, args) =>
            {
                if (list.Count == 0)
                    throw new JinjaRuntimeError("pop from empty list", "IndexError");
                var index = args.Count > 0 ? PyTypes.ToLong(args.Positional[0]) : -1;
                if (index < 0)
                    index += list.Count;
                if (index < 0 || index >= list.Count)
                    throw new JinjaRuntimeError("pop index out of range", "IndexError");
                var value = list[(int)index];
                list.RemoveAt((int)index);
                return value;
            },
            "clear" when sequence is List<object?> list => (_, _, _) =>
            {
                list.Clear();
                return null;
            },
            _ => null,
        };
        return body is null ? null : new BoundMethod(sequence, name, body);
    }

    private static long NormalizeIndex(Arguments args, int position, int length, long fallback)
    {
        if (args.Count <= position || args.Positional[position] is null)
            return fallback;
        var value = PyTypes.ToLong(args.Positional[position]);
        return value < 0 ? value + length : value;
    }
}

/// <summary>The few int/float methods templates use.</summary>
internal static class NumberMethods
{
    public static object? Get(object? number, string name) => name switch
    {
        "is_integer" when number is double d => new BoundMethod(number, name, (_, _, _) => double.IsFinite(d) && Math.Floor(d) == d),
        "real" => number is bool b ? (b ? 1L : 0L) : number,
        "imag" => number is double ? 0.0 : (object)0L,
        _ => null,
    };
}
