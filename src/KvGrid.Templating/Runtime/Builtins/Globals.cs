using KvGrid.Templating.Runtime.Callables;
using KvGrid.Templating.Runtime.Formatting;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Builtins;

/// <summary>
/// Template globals: jinja2's range, dict, namespace, cycler, joiner, and HuggingFace's
/// raise_exception and strftime_now. Context variables of the same name take precedence.
/// </summary>
internal static class Globals
{
    /// <summary>ImmutableSandboxedEnvironment refuses ranges longer than this (sandbox.MAX_RANGE).</summary>
    private const long MaxRange = 100_000;

    private static readonly Dictionary<string, object?> Table = new(StringComparer.Ordinal)
    {
        ["range"] = new BuiltinFunction("range", (_, a) => Range(a)),
        ["dict"] = new BuiltinFunction("dict", (_, a) => Dict(a)),
        ["namespace"] = new BuiltinFunction("namespace", (_, a) => NewNamespace(a)),
        ["cycler"] = new BuiltinFunction("cycler", (_, a) => Cycler(a.Positional.ToArray())),
        ["joiner"] = new BuiltinFunction("joiner", (_, a) => Joiner(a.GetString(0, "sep", ", ")!)),
        ["raise_exception"] = new BuiltinFunction("raise_exception", (_, a) =>
            throw new TemplateException(PyText.Str(a.Required(0, "message", "raise_exception")), raisedByTemplate: true)),
        ["strftime_now"] = new BuiltinFunction("strftime_now", (i, a) =>
            PyStrftime.Format(i.Options.Clock().DateTime, PyText.Str(a.Required(0, "format", "strftime_now")))),
    };

    public static bool TryGet(string name, out object? value) => Table.TryGetValue(name, out value);

    private static object Range(Arguments a)
    {
        if (a.Named.Count > 0)
            throw new JinjaRuntimeError("range() takes no keyword arguments");
        if (a.Count is < 1 or > 3)
            throw new JinjaRuntimeError($"range expected at most 3 arguments, got {a.Count}");
        var bounds = a.Positional.Select(x => x is Undefined u ? throw u.Fail()
            : PyTypes.IsInteger(x) ? PyTypes.ToLong(x)
            : throw new JinjaRuntimeError($"'{PyTypes.Name(x)}' object cannot be interpreted as an integer")).ToArray();
        long start = 0, stop, step = 1;
        if (bounds.Length == 1)
        {
            stop = bounds[0];
        }
        else
        {
            start = bounds[0];
            stop = bounds[1];
            if (bounds.Length == 3)
                step = bounds[2];
        }
        if (step == 0)
            throw new JinjaRuntimeError("range() arg 3 must not be zero", "ValueError");
        var count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0) : (start > stop ? (start - stop - step - 1) / -step : 0);
        if (count > MaxRange)
            throw new JinjaRuntimeError($"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).", "OverflowError");
        var result = new List<object?>((int)count);
        for (long i = 0, v = start; i < count; i++, v += step)
            result.Add(v);
        return result;
    }

    private static PyDict Dict(Arguments a)
    {
        var result = new PyDict();
        if (a.Count > 1)
            throw new JinjaRuntimeError($"dict expected at most 1 argument, got {a.Count}");
        if (a.Count == 1)
        {
            switch (a.Positional[0])
            {
                case PyDict source:
                    foreach (var pair in source.Items)
                        result.Set(pair.Key, pair.Value);
                    break;
                case var iterable:
                    foreach (var item in PyIteration.Iterate(iterable))
                    {
                        var pair = PyIteration.ToList(item);
                        if (pair.Count != 2)
                            throw new JinjaRuntimeError($"dictionary update sequence element has length {pair.Count}; 2 is required", "ValueError");
                        result.Set(pair[0], pair[1]);
                    }
                    break;
            }
        }
        foreach (var pair in a.Named)
            result.Set(pair.Key, pair.Value);
        return result;
    }

    private static Namespace NewNamespace(Arguments a)
    {
        var ns = new Namespace();
        foreach (var pair in Dict(a).Items)
            ns.Attributes[PyText.Str(pair.Key)] = pair.Value;
        return ns;
    }

    private static Namespace Cycler(object?[] items)
    {
        if (items.Length == 0)
            throw new JinjaRuntimeError("at least one item has to be provided");
        var ns = new Namespace();
        var position = 0;
        ns.Attributes["current"] = items[0];
        ns.Attributes["next"] = new BuiltinFunction("next", (_, _) =>
        {
            var value = items[position];
            position = (position + 1) % items.Length;
            ns.Attributes["current"] = items[position];
            return value;
        });
        ns.Attributes["reset"] = new BuiltinFunction("reset", (_, _) =>
        {
            position = 0;
            ns.Attributes["current"] = items[0];
            return null;
        });
        return ns;
    }

    private static BuiltinFunction Joiner(string separator)
    {
        var used = false;
        return new BuiltinFunction("joiner", (_, _) =>
        {
            if (!used)
            {
                used = true;
                return "";
            }
            return separator;
        });
    }
}
