namespace KvGrid.Templating.Runtime.Values;

/// <summary>Python equality and ordering (<c>==</c>, <c>&lt;</c>) between runtime values.</summary>
internal static class PyCompare
{
    public static bool AreEqual(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
            return true;
        if (a is null || b is null)
            return false;
        if (PyTypes.IsNumber(a) && PyTypes.IsNumber(b))
        {
            if (a is double || b is double)
                return PyTypes.ToDouble(a) == PyTypes.ToDouble(b);
            return PyTypes.ToLong(a) == PyTypes.ToLong(b);
        }
        var sa = PyTypes.AsString(a);
        var sb = PyTypes.AsString(b);
        if (sa is not null || sb is not null)
            return sa is not null && sb is not null && string.Equals(sa, sb, StringComparison.Ordinal);
        switch (a)
        {
            case List<object?> la when b is List<object?> lb:
                return SequenceEqual(la, lb);
            case PyTuple ta when b is PyTuple tb:
                return SequenceEqual(ta, tb);
            case PyDict da when b is PyDict db:
                if (da.Count != db.Count)
                    return false;
                foreach (var pair in da.Items)
                {
                    if (!db.TryGet(pair.Key, out var other) || !AreEqual(pair.Value, other))
                        return false;
                }
                return true;
            case Undefined when b is Undefined:
                return true;
            default:
                return a.Equals(b);
        }
    }

    private static bool SequenceEqual(IReadOnlyList<object?> a, IReadOnlyList<object?> b)
    {
        if (a.Count != b.Count)
            return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (!AreEqual(a[i], b[i]))
                return false;
        }
        return true;
    }

    /// <summary>Three-way ordering as Python's rich comparison; TypeError for unorderable pairs.</summary>
    public static int Compare(object? a, object? b, string op = "<")
    {
        if (a is Undefined ua)
            throw ua.Fail();
        if (b is Undefined ub)
            throw ub.Fail();
        if (PyTypes.IsNumber(a) && PyTypes.IsNumber(b))
        {
            if (a is double || b is double)
            {
                var da = PyTypes.ToDouble(a);
                var db = PyTypes.ToDouble(b);
                return da < db ? -1 : da > db ? 1 : 0;
            }
            return PyTypes.ToLong(a).CompareTo(PyTypes.ToLong(b));
        }
        var sa = PyTypes.AsString(a);
        var sb = PyTypes.AsString(b);
        if (sa is not null && sb is not null)
            return Math.Sign(PyStrings.CompareOrdinalCodePoints(sa, sb));
        if (a is List<object?> la && b is List<object?> lb)
            return CompareSequences(la, lb, op);
        if (a is PyTuple ta && b is PyTuple tb)
            return CompareSequences(ta, tb, op);
        throw new JinjaRuntimeError($"'{op}' not supported between instances of '{PyTypes.Name(a)}' and '{PyTypes.Name(b)}'");
    }

    private static int CompareSequences(IReadOnlyList<object?> a, IReadOnlyList<object?> b, string op)
    {
        var n = Math.Min(a.Count, b.Count);
        for (var i = 0; i < n; i++)
        {
            if (!AreEqual(a[i], b[i]))
                return Compare(a[i], b[i], op);
        }
        return a.Count.CompareTo(b.Count);
    }

    /// <summary>Python's <c>x in container</c>.</summary>
    public static bool Contains(object? container, object? item)
    {
        switch (container)
        {
            case string or Markup:
                var needle = PyTypes.AsString(item)
                    ?? throw new JinjaRuntimeError($"'in <string>' requires string as left operand, not {PyTypes.Name(item)}");
                return PyTypes.AsString(container)!.Contains(needle, StringComparison.Ordinal);
            case PyDict dict:
                PyKeyComparer.EnsureHashable(item);
                return dict.ContainsKey(item);
            case List<object?> list:
                return list.Any(x => AreEqual(x, item));
            case PyTuple tuple:
                return tuple.Items.Any(x => AreEqual(x, item));
            case Undefined:
                return false;
            case PyGenerator generator:
                return generator.Consume().Any(x => AreEqual(x, item));
            default:
                throw new JinjaRuntimeError($"argument of type '{PyTypes.Name(container)}' is not iterable");
        }
    }
}
