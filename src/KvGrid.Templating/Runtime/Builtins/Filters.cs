using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Builtins;

/// <summary>The filter table: jinja2's builtin filters plus HuggingFace's <c>tojson</c>.</summary>
internal static partial class Filters
{
    public delegate object? Filter(Interpreter interpreter, object? value, Arguments args);

    private static readonly Dictionary<string, Filter> Table = new(StringComparer.Ordinal);

    static Filters()
    {
        RegisterText();
        RegisterSequences();
        RegisterConversions();
    }

    public static bool Exists(string name) => Table.ContainsKey(name);

    public static object? Invoke(string name, Interpreter interpreter, object? value, Arguments args)
    {
        if (!Table.TryGetValue(name, out var filter))
            throw new JinjaRuntimeError($"No filter named '{name}'.", "TemplateAssertionError");
        return filter(interpreter, value, args);
    }

    /// <summary>jinja2's <c>soft_str</c>: str() of anything, '' for undefined, Markup kept as text.</summary>
    private static string SoftStr(object? value) => value switch
    {
        string s => s,
        Markup m => m.Value,
        _ => PyText.Str(value),
    };

    /// <summary>jinja2's <c>make_attrgetter</c>: dotted path, integer parts as indices, optional default for undefined.</summary>
    private static Func<object?, object?> AttributeGetter(object? attribute, bool ignoreCase, object? fallback = null)
    {
        var parts = AttributeParts(attribute);
        return item =>
        {
            foreach (var part in parts)
            {
                item = MemberAccess.GetItem(item, part);
                if (fallback is not null && item is Undefined)
                    item = fallback;
            }
            return ignoreCase ? IgnoreCase(item) : item;
        };
    }

    private static List<object?> AttributeParts(object? attribute)
    {
        if (attribute is null)
            return [];
        if (PyTypes.AsString(attribute) is { } text)
            return text.Split('.').Select(p => p.Length > 0 && p.All(char.IsAsciiDigit) ? (object?)long.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : p).ToList();
        return [attribute];
    }

    /// <summary>jinja2's <c>make_multi_attrgetter</c>: comma-separated paths, the key is the list of their values.</summary>
    private static Func<object?, object?> MultiAttributeGetter(object? attribute, bool ignoreCase)
    {
        var paths = PyTypes.AsString(attribute) is { } text ? text.Split(',').Select(p => (object?)p).ToList() : [attribute];
        var getters = paths.Select(p => AttributeGetter(p, ignoreCase)).ToList();
        return item => getters.Select(g => g(item)).ToList();
    }

    private static object? IgnoreCase(object? value) => value is string s ? PyCase.Lower(s) : value;

    private sealed class PyOrder : IComparer<object?>
    {
        public static readonly PyOrder Instance = new();

        public int Compare(object? x, object? y) => PyCompare.Compare(x, y);
    }

    private static void Add(string name, Filter filter) => Table[name] = filter;
}
