using System.Globalization;
using System.Text;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Formatting;

/// <summary>
/// Python's <c>json.dumps(x, ensure_ascii, indent, separators, sort_keys)</c>, byte for byte: default
/// separators ", " / ": " (", " becomes "," when indenting), floats as <c>float.__repr__</c>, NaN/Infinity literals.
/// </summary>
internal sealed class PyJson
{
    private readonly bool _ensureAscii;
    private readonly string? _indent;
    private readonly string _itemSeparator;
    private readonly string _keySeparator;
    private readonly bool _sortKeys;
    private readonly StringBuilder _sb = new();

    private PyJson(bool ensureAscii, string? indent, string itemSeparator, string keySeparator, bool sortKeys)
    {
        _ensureAscii = ensureAscii;
        _indent = indent;
        _itemSeparator = itemSeparator;
        _keySeparator = keySeparator;
        _sortKeys = sortKeys;
    }

    public static string Dumps(object? value, bool ensureAscii = true, object? indent = null, object? separators = null, bool sortKeys = false)
    {
        string? indentText = indent switch
        {
            null => null,
            long n => new string(' ', (int)Math.Max(0, n)),
            bool b => new string(' ', b ? 1 : 0),
            string s => s,
            Markup m => m.Value,
            _ => throw new JinjaRuntimeError($"can't multiply sequence by non-int of type '{PyTypes.Name(indent)}'"),
        };
        var itemSeparator = indentText is null ? ", " : ",";
        var keySeparator = ": ";
        if (separators is not null)
        {
            object?[] pair = separators switch
            {
                PyTuple t => t.Items,
                List<object?> l => l.ToArray(),
                _ => throw new JinjaRuntimeError("separators must be a pair of strings", "ValueError"),
            };
            if (pair.Length != 2)
                throw new JinjaRuntimeError($"too many values to unpack (expected 2)", "ValueError");
            itemSeparator = PyTypes.AsString(pair[0]) ?? throw new JinjaRuntimeError("separators must be strings");
            keySeparator = PyTypes.AsString(pair[1]) ?? throw new JinjaRuntimeError("separators must be strings");
        }
        var writer = new PyJson(ensureAscii, indentText, itemSeparator, keySeparator, sortKeys);
        writer.Write(value, 0);
        return writer._sb.ToString();
    }

    private void Write(object? value, int level)
    {
        switch (value)
        {
            case null:
                _sb.Append("null");
                break;
            case bool b:
                _sb.Append(b ? "true" : "false");
                break;
            case long l:
                _sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                _sb.Append(FloatText(d));
                break;
            case string s:
                WriteString(s);
                break;
            case Markup m:
                WriteString(m.Value);
                break;
            case List<object?> list:
                WriteArray(list, level);
                break;
            case PyTuple tuple:
                WriteArray(tuple, level);
                break;
            case PyDict dict:
                WriteObject(dict, level);
                break;
            default:
                throw new JinjaRuntimeError($"Object of type {PyTypes.Name(value)} is not JSON serializable");
        }
    }

    private static string FloatText(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PyFloat.Repr(d);

    private void WriteArray(IReadOnlyList<object?> items, int level)
    {
        if (items.Count == 0)
        {
            _sb.Append("[]");
            return;
        }
        _sb.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
                _sb.Append(_itemSeparator);
            NewLine(level + 1);
            Write(items[i], level + 1);
        }
        NewLine(level);
        _sb.Append(']');
    }

    private void WriteObject(PyDict dict, int level)
    {
        if (dict.Count == 0)
        {
            _sb.Append("{}");
            return;
        }
        IEnumerable<KeyValuePair<object?, object?>> items = dict.Items;
        if (_sortKeys)
        {
            var list = items.ToList();
            list.Sort((a, b) => PyCompare.Compare(a.Key, b.Key));
            items = list;
        }
        _sb.Append('{');
        var first = true;
        foreach (var pair in items)
        {
            if (!first)
                _sb.Append(_itemSeparator);
            first = false;
            NewLine(level + 1);
            WriteString(KeyText(pair.Key));
            _sb.Append(_keySeparator);
            Write(pair.Value, level + 1);
        }
        NewLine(level);
        _sb.Append('}');
    }

    private static string KeyText(object? key) => key switch
    {
        string s => s,
        Markup m => m.Value,
        bool b => b ? "true" : "false",
        null => "null",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatText(d),
        _ => throw new JinjaRuntimeError($"keys must be str, int, float, bool or None, not {PyTypes.Name(key)}"),
    };

    private void NewLine(int level)
    {
        if (_indent is null)
            return;
        _sb.Append('\n');
        for (var i = 0; i < level; i++)
            _sb.Append(_indent);
    }

    private void WriteString(string s)
    {
        _sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': _sb.Append("\\\""); break;
                case '\\': _sb.Append("\\\\"); break;
                case '\n': _sb.Append("\\n"); break;
                case '\r': _sb.Append("\\r"); break;
                case '\t': _sb.Append("\\t"); break;
                case '\b': _sb.Append("\\b"); break;
                case '\f': _sb.Append("\\f"); break;
                default:
                    if (c < ' ' || (_ensureAscii && c > '~'))
                        _sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        _sb.Append(c);
                    break;
            }
        }
        _sb.Append('"');
    }
}
