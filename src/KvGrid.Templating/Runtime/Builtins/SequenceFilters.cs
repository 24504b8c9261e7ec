using System.Text;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Builtins;

/// <summary>Sequence filters: length, first, last, join, list, items, select/reject(attr), map, unique, sort, reverse, sum, min, max, dictsort, batch, slice, groupby.</summary>
internal static partial class Filters
{
    private static void RegisterSequences()
    {
        Add("length", (_, v, _) => PyIteration.Length(v));
        Table["count"] = Table["length"];
        Add("first", (_, v, _) =>
        {
            foreach (var item in PyIteration.Iterate(v))
                return item;
            return Undefined.WithHint("No first item, sequence was empty.");
        });
        Add("last", (_, v, _) =>
        {
            if (v is not (string or Markup or List<object?> or PyTuple or PyDict or Undefined))
                throw new JinjaRuntimeError($"'{PyTypes.Name(v)}' object is not reversible");
            var items = PyIteration.ToList(v);
            return items.Count > 0 ? items[^1] : Undefined.WithHint("No last item, sequence was empty.");
        });
        Add("join", (_, v, a) =>
        {
            a.Check("join", 2, "d", "attribute");
            var separator = SoftStr(a.Get(0, "d", ""));
            IEnumerable<object?> items = PyIteration.Iterate(v);
            if (a.Get(1, "attribute") is { } attribute)
                items = items.Select(AttributeGetter(attribute, false));
            var sb = new StringBuilder();
            var first = true;
            foreach (var item in items)
            {
                if (!first)
                    sb.Append(separator);
                first = false;
                sb.Append(PyText.Str(item));
            }
            return sb.ToString();
        });
        Add("list", (_, v, _) => PyIteration.ToList(v));
        Add("items", (_, v, _) => v switch
        {
            Undefined => new PyGenerator("generator", "do_items", []),
            PyDict dict => new PyGenerator("generator", "do_items", dict.Items.Select(p => (object?)new PyTuple([p.Key, p.Value])).ToList()),
            _ => throw new JinjaRuntimeError("Can only get item pairs from a mapping."),
        });
        Add("select", (i, v, a) => SelectOrReject(i, v, a, attributeMode: false, keep: true, "select_or_reject"));
        Add("reject", (i, v, a) => SelectOrReject(i, v, a, attributeMode: false, keep: false, "select_or_reject"));
        Add("selectattr", (i, v, a) => SelectOrReject(i, v, a, attributeMode: true, keep: true, "select_or_reject"));
        Add("rejectattr", (i, v, a) => SelectOrReject(i, v, a, attributeMode: true, keep: false, "select_or_reject"));
        Add("map", Map);
        Add("unique", (_, v, a) =>
        {
            a.Check("unique", 2, "case_sensitive", "attribute");
            var getter = AttributeGetter(a.Get(1, "attribute"), !a.GetBool(0, "case_sensitive", false));
            var seen = new HashSet<object>(PyKeyComparer.Instance);
            var result = new List<object?>();
            var nullSeen = false;
            foreach (var item in PyIteration.Iterate(v))
            {
                var key = getter(item);
                PyKeyComparer.EnsureHashable(key);
                if (key is null ? !nullSeen && (nullSeen = true) : seen.Add(key))
                    result.Add(item);
            }
            return new PyGenerator("generator", "do_unique", result);
        });
        Add("sort", (_, v, a) =>
        {
            a.Check("sort", 3, "reverse", "case_sensitive", "attribute");
            var reverse = a.GetBool(0, "reverse", false);
            var key = MultiAttributeGetter(a.Get(2, "attribute"), !a.GetBool(1, "case_sensitive", false));
            var items = PyIteration.ToList(v);
            return SortStable(items, key, reverse);
        });
        Add("reverse", (_, v, _) => v switch
        {
            string s => string.Concat(PyStrings.CodePoints(s).AsEnumerable().Reverse()),
            Markup m => new Markup(string.Concat(PyStrings.CodePoints(m.Value).AsEnumerable().Reverse())),
            List<object?> list => new PyGenerator("list_reverseiterator", "reversed", Enumerable.Reverse(list).ToList()),
            PyTuple tuple => new PyGenerator("reversed", "reversed", tuple.Items.Reverse().ToList()),
            PyDict dict => new PyGenerator("dict_reversekeyiterator", "reversed", dict.Keys.Reverse().ToList()),
            _ => ReverseAny(v),
        });
        Add("sum", (_, v, a) =>
        {
            a.Check("sum", 2, "attribute", "start");
            IEnumerable<object?> items = PyIteration.Iterate(v);
            if (a.Get(0, "attribute") is { } attribute)
                items = items.Select(AttributeGetter(attribute, false));
            var total = a.Get(1, "start", 0L);
            if (PyTypes.IsString(total))
                throw new JinjaRuntimeError("sum() can't sum strings [use ''.join(seq) instead]");
            foreach (var item in items)
                total = PyArithmetic.Binary("+", total, item);
            return total;
        });
        Add("min", (_, v, a) => MinOrMax(v, a, "min", -1));
        Add("max", (_, v, a) => MinOrMax(v, a, "max", 1));
        Add("dictsort", (_, v, a) =>
        {
            a.Check("dictsort", 3, "case_sensitive", "by", "reverse");
            var caseSensitive = a.GetBool(0, "case_sensitive", false);
            var by = a.GetString(1, "by", "key");
            var position = by switch
            {
                "key" => 0,
                "value" => 1,
                _ => throw new JinjaRuntimeError("You can only sort by either \"key\" or \"value\"", "FilterArgumentError"),
            };
            if (v is Undefined undefined)
                throw undefined.Fail();
            if (v is not PyDict dict)
                throw new JinjaRuntimeError($"'{PyTypes.Name(v)}' object has no attribute 'items'", "AttributeError");
            var pairs = dict.Items.Select(p => (object?)new PyTuple([p.Key, p.Value])).ToList();
            return SortStable(pairs, item => caseSensitive ? ((PyTuple)item!)[position] : IgnoreCase(((PyTuple)item!)[position]), a.GetBool(2, "reverse", false));
        });
        Add("batch", (_, v, a) =>
        {
            a.Check("batch", 2, "linecount", "fill_with");
            var lineCount = a.GetInt(0, "linecount", 0, "batch");
            var fill = a.Get(1, "fill_with");
            var batches = new List<object?>();
            var current = new List<object?>();
            foreach (var item in PyIteration.Iterate(v))
            {
                if (current.Count == lineCount)
                {
                    batches.Add(current);
                    current = new List<object?>();
                }
                current.Add(item);
            }
            if (current.Count > 0)
            {
                if (fill is not null)
                {
                    while (current.Count < lineCount)
                        current.Add(fill);
                }
                batches.Add(current);
            }
            return new PyGenerator("generator", "do_batch", batches);
        });
        Add("slice", (_, v, a) =>
        {
            a.Check("slice", 2, "slices", "fill_with");
            var slices = a.GetInt(0, "slices", 0, "slice");
            var fill = a.Get(1, "fill_with");
            var items = PyIteration.ToList(v);
            if (slices <= 0)
                throw new JinjaRuntimeError("integer division or modulo by zero", "ZeroDivisionError");
            var perSlice = items.Count / (int)slices;
            var withExtra = items.Count % (int)slices;
            var offset = 0;
            var result = new List<object?>();
            for (var n = 0; n < slices; n++)
            {
                var start = offset + n * perSlice;
                if (n < withExtra)
                    offset++;
                var end = offset + (n + 1) * perSlice;
                var chunk = items.GetRange(start, end - start);
                if (fill is not null && n >= withExtra)
                    chunk.Add(fill);
                result.Add(chunk);
            }
            return new PyGenerator("generator", "sync_do_slice", result);
        });
        Add("groupby", (_, v, a) =>
        {
            a.Check("groupby", 3, "attribute", "default", "case_sensitive");
            var attribute = a.Required(0, "attribute", "groupby");
            var fallback = a.Get(1, "default");
            var caseSensitive = a.GetBool(2, "case_sensitive", false);
            var key = AttributeGetter(attribute, !caseSensitive, fallback);
            var outputKey = AttributeGetter(attribute, false, fallback);
            var sorted = SortStable(PyIteration.ToList(v), key, false);
            var groups = new List<object?>();
            List<object?>? current = null;
            object? currentKey = null;
            foreach (var item in sorted)
            {
                var k = key(item);
                if (current is null || !PyCompare.AreEqual(k, currentKey))
                {
                    current = new List<object?>();
                    currentKey = k;
                    groups.Add(current);
                }
                current.Add(item);
            }
            return groups.Select(g =>
            {
                var members = (List<object?>)g!;
                var grouper = caseSensitive ? key(members[0]) : outputKey(members[0]);
                return (object?)new PyTuple([grouper, members], "_GroupTuple", ["grouper", "list"]);
            }).ToList();
        });
        Add("attr", (_, v, a) =>
        {
            // attr() never falls back to item lookup: a dict key is not an attribute.
            var name = SoftStr(a.Required(0, "name", "attr"));
            return MemberAccess.GetAttributeOnly(v, name);
        });
    }

    private static object? ReverseAny(object? v)
    {
        if (!PyIteration.IsIterable(v))
            throw new JinjaRuntimeError("argument must be iterable", "FilterArgumentError");
        var items = PyIteration.ToList(v);
        items.Reverse();
        return items;
    }

    private static List<object?> SortStable(List<object?> items, Func<object?, object?> key, bool reverse)
    {
        var keyed = items.Select(item => (Key: key(item), Item: item)).ToList();
        var ordered = reverse
            ? keyed.OrderByDescending(p => p.Key, PyOrder.Instance)
            : keyed.OrderBy(p => p.Key, PyOrder.Instance);
        try
        {
            return ordered.Select(p => p.Item).ToList();
        }
        catch (InvalidOperationException e) when (e.InnerException is JinjaRuntimeError inner)
        {
            // LINQ wraps comparer failures; surface Python's TypeError itself.
            throw new JinjaRuntimeError(inner.Message, inner.Kind);
        }
    }

    private static object? MinOrMax(object? v, Arguments a, string function, int sign)
    {
        a.Check(function, 2, "case_sensitive", "attribute");
        var key = AttributeGetter(a.Get(1, "attribute"), !a.GetBool(0, "case_sensitive", false));
        var items = PyIteration.ToList(v);
        if (items.Count == 0)
            return Undefined.WithHint("No aggregated item, sequence was empty.");
        var best = items[0];
        var bestKey = key(best);
        for (var i = 1; i < items.Count; i++)
        {
            var k = key(items[i]);
            if (PyCompare.Compare(k, bestKey) * sign > 0)
            {
                best = items[i];
                bestKey = k;
            }
        }
        return best;
    }

    private static object? Map(Interpreter interpreter, object? value, Arguments a)
    {
        Func<object?, object?> func;
        if (a.Count == 0 && a.Named.ContainsKey("attribute"))
        {
            var named = new Dictionary<string, object?>(a.Named);
            named.Remove("attribute", out var attribute);
            named.Remove("default", out var fallback);
            if (named.Count > 0)
                throw new JinjaRuntimeError($"Unexpected keyword argument '{named.Keys.First()}'", "FilterArgumentError");
            func = AttributeGetter(attribute, false, fallback);
        }
        else
        {
            if (a.Count == 0)
                throw new JinjaRuntimeError("map requires a filter argument", "FilterArgumentError");
            var name = SoftStr(a.Positional[0]);
            var rest = new Arguments(a.Positional.Skip(1).ToList(), a.Named);
            func = item => Invoke(name, interpreter, item, rest);
        }
        var result = new List<object?>();
        if (PyTypes.Truthy(value))
        {
            foreach (var item in PyIteration.Iterate(value))
                result.Add(func(item));
        }
        return new PyGenerator("generator", "sync_do_map", result);
    }

    private static object? SelectOrReject(Interpreter interpreter, object? value, Arguments a, bool attributeMode, bool keep, string function)
    {
        Func<object?, object?> transform = x => x;
        var offset = 0;
        if (attributeMode)
        {
            if (a.Count == 0)
                throw new JinjaRuntimeError("Missing parameter for attribute name", "FilterArgumentError");
            transform = AttributeGetter(a.Positional[0], false);
            offset = 1;
        }
        Func<object?, bool> test;
        if (a.Count > offset)
        {
            var name = SoftStr(a.Positional[offset]);
            var rest = new Arguments(a.Positional.Skip(offset + 1).ToList(), a.Named);
            test = item => PyTypes.Truthy(Tests.Invoke(name, interpreter, item, rest));
        }
        else
        {
            test = PyTypes.Truthy;
        }
        var result = new List<object?>();
        if (PyTypes.Truthy(value))
        {
            foreach (var item in PyIteration.Iterate(value))
            {
                if (test(transform(item)) == keep)
                    result.Add(item);
            }
        }
        return new PyGenerator("generator", function, result);
    }
}
