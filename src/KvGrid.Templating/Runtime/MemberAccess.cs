using KvGrid.Templating.Runtime.Methods;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime;

/// <summary>
/// <c>obj.attr</c> and <c>obj[key]</c> as jinja2's <c>ImmutableSandboxedEnvironment</c> resolves them:
/// getattr first then item for dots, item first then getattr for subscripts; private (<c>_x</c>) and
/// mutating methods yield an undefined that raises SecurityError when used.
/// </summary>
internal static class MemberAccess
{
    public static object? GetAttribute(object? target, string name)
    {
        if (target is Undefined undefined)
            throw undefined.Fail();
        if (TryGetPythonAttribute(target, name, out var value))
            return value;
        if (TryGetItem(target, name, out value))
            return value;
        return Undefined.MissingMember(target, name);
    }

    /// <summary>Python getattr only (no item fallback), as the <c>attr</c> filter does.</summary>
    public static object? GetAttributeOnly(object? target, string name)
    {
        if (target is Undefined undefined)
            throw undefined.Fail();
        return TryGetPythonAttribute(target, name, out var value) ? value : Undefined.MissingMember(target, name);
    }

    public static object? GetItem(object? target, object? key)
    {
        if (target is Undefined undefined)
            throw undefined.Fail();
        if (key is Undefined && target is not PyDict)
            return Undefined.MissingMember(target, key);
        if (TryGetItem(target, key, out var value))
            return value;
        if (key is string name && TryGetPythonAttribute(target, name, out value))
            return value;
        return Undefined.MissingMember(target, key);
    }

    /// <summary>Python <c>getattr</c> under the sandbox: methods of str/dict/list/tuple, loop and namespace attributes.</summary>
    private static bool TryGetPythonAttribute(object? target, string name, out object? value)
    {
        value = null;
        if (name.StartsWith('_'))
        {
            // Python objects do have dunder attributes; the sandbox refuses all of them.
            if (name.StartsWith("__") && name.EndsWith("__"))
            {
                value = Undefined.Unsafe(target, name);
                return true;
            }
            return false;
        }
        switch (target)
        {
            case string or Markup:
                value = StringMethods.Get(target, name);
                break;
            case PyDict dict:
                value = DictMethods.Get(dict, name);
                break;
            case PyTuple { FieldNames: not null } named when Array.IndexOf(named.FieldNames, name) >= 0:
                value = named[Array.IndexOf(named.FieldNames, name)];
                return true;
            case List<object?> or PyTuple:
                value = SequenceMethods.Get(target, name);
                break;
            case LoopContext loop:
                value = loop.GetAttribute(name);
                // previtem/nextitem exist even when there is no such item (they are undefined with a hint).
                return value is not Undefined || name is "previtem" or "nextitem";
            case Namespace ns:
                return ns.Attributes.TryGetValue(name, out value);
            case long or bool or double:
                value = NumberMethods.Get(target, name);
                break;
        }
        return value is not null;
    }

    private static bool TryGetItem(object? target, object? key, out object? value)
    {
        value = null;
        switch (target)
        {
            case PyDict dict:
                return dict.TryGet(key, out value);
            case List<object?> list:
                return TryIndex(list, key, out value);
            case PyTuple tuple:
                return TryIndex(tuple, key, out value);
            case string or Markup:
                var s = PyTypes.AsString(target)!;
                if (!PyTypes.IsInteger(key))
                    return false;
                var chars = PyStrings.HasSurrogates(s) ? PyStrings.CodePoints(s) : null;
                var length = chars?.Count ?? s.Length;
                var index = PyTypes.ToLong(key);
                if (index < 0)
                    index += length;
                if (index < 0 || index >= length)
                    return false;
                value = chars is not null ? chars[(int)index] : s[(int)index].ToString();
                return true;
            default:
                return false;
        }
    }

    private static bool TryIndex(IReadOnlyList<object?> items, object? key, out object? value)
    {
        value = null;
        if (!PyTypes.IsInteger(key))
            return false;
        var index = PyTypes.ToLong(key);
        if (index < 0)
            index += items.Count;
        if (index < 0 || index >= items.Count)
            return false;
        value = items[(int)index];
        return true;
    }

    /// <summary>Python slicing <c>seq[start:stop:step]</c> on str, list and tuple.</summary>
    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        if (target is Undefined undefined)
            throw undefined.Fail();
        long? ToBound(object? v) => v switch
        {
            null => null,
            long or bool => PyTypes.ToLong(v),
            _ => throw new JinjaRuntimeError("slice indices must be integers or None or have an __index__ method"),
        };
        var stepValue = ToBound(step) ?? 1;
        if (stepValue == 0)
            throw new JinjaRuntimeError("slice step cannot be zero", "ValueError");
        IReadOnlyList<object?> items;
        switch (target)
        {
            case List<object?> list:
                items = list;
                break;
            case PyTuple tuple:
                items = tuple;
                break;
            case string or Markup:
                items = PyStrings.CodePoints(PyTypes.AsString(target)!).Cast<object?>().ToList();
                break;
            case PyDict:
                // jinja2 compiles slices to a direct Python subscript (no environment.getitem fallback).
                throw new JinjaRuntimeError("unhashable type: 'slice'");
            default:
                throw new JinjaRuntimeError($"'{PyTypes.Name(target)}' object is not subscriptable");
        }
        var indices = SliceIndices(items.Count, ToBound(start), ToBound(stop), stepValue);
        var result = new List<object?>();
        foreach (var i in indices)
            result.Add(items[i]);
        return target switch
        {
            List<object?> => result,
            PyTuple => new PyTuple(result.ToArray()),
            Markup => new Markup(string.Concat(result.Cast<string>())),
            _ => string.Concat(result.Cast<string>()),
        };
    }

    private static IEnumerable<int> SliceIndices(int length, long? start, long? stop, long step)
    {
        long lower = step > 0 ? 0 : -1;
        long upper = step > 0 ? length : length - 1;
        long Clamp(long? v, long fallback)
        {
            if (v is null)
                return fallback;
            var x = v.Value;
            if (x < 0)
            {
                x += length;
                return x < lower ? lower : x;
            }
            return x > upper ? upper : x;
        }
        var from = Clamp(start, step > 0 ? lower : upper);
        var to = Clamp(stop, step > 0 ? upper : lower);
        if (step > 0)
        {
            for (var i = from; i < to; i += step)
                yield return (int)i;
        }
        else
        {
            for (var i = from; i > to; i += step)
                yield return (int)i;
        }
    }
}
