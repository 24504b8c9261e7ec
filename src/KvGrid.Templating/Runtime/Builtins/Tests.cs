using KvGrid.Templating.Runtime.Callables;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Builtins;

/// <summary>jinja2's builtin tests (<c>x is defined</c>, <c>x is divisibleby 3</c>, <c>select('equalto', y)</c>...).</summary>
internal static class Tests
{
    private delegate bool Test(object? value, Arguments args);

    private static readonly Dictionary<string, Test> Table = new(StringComparer.Ordinal)
    {
        ["defined"] = (v, _) => v is not Undefined,
        ["undefined"] = (v, _) => v is Undefined,
        ["none"] = (v, _) => v is null,
        ["boolean"] = (v, _) => v is bool,
        ["true"] = (v, _) => v is true,
        ["false"] = (v, _) => v is false,
        ["integer"] = (v, _) => v is long,
        ["float"] = (v, _) => v is double,
        ["number"] = (v, _) => PyTypes.IsNumber(v),
        ["string"] = (v, _) => PyTypes.IsString(v),
        ["mapping"] = (v, _) => v is PyDict,
        ["iterable"] = (v, _) => PyIteration.IsIterable(v),
        ["sequence"] = (v, _) => v is string or Markup or List<object?> or PyTuple or PyDict or Undefined,
        ["callable"] = (v, _) => v is IPyCallable or LoopContext or Undefined,
        ["escaped"] = (v, _) => v is Markup,
        ["lower"] = (v, _) => IsLower(PyText.Str(v)),
        ["upper"] = (v, _) => IsUpper(PyText.Str(v)),
        ["odd"] = (v, _) => PyCompare.AreEqual(PyArithmetic.Binary("%", v, 2L), 1L),
        ["even"] = (v, _) => PyCompare.AreEqual(PyArithmetic.Binary("%", v, 2L), 0L),
        ["divisibleby"] = (v, a) => PyCompare.AreEqual(PyArithmetic.Binary("%", v, a.Required(0, "num", "divisibleby")), 0L),
        ["in"] = (v, a) => PyCompare.Contains(a.Required(0, "seq", "in"), v),
        ["sameas"] = (v, a) => SameAs(v, a.Required(0, "other", "sameas")),
        ["eq"] = (v, a) => PyCompare.AreEqual(v, a.Required(0, "b", "eq")),
        ["ne"] = (v, a) => !PyCompare.AreEqual(v, a.Required(0, "b", "ne")),
        ["lt"] = (v, a) => PyCompare.Compare(v, a.Required(0, "b", "lt"), "<") < 0,
        ["le"] = (v, a) => PyCompare.Compare(v, a.Required(0, "b", "le"), "<=") <= 0,
        ["gt"] = (v, a) => PyCompare.Compare(v, a.Required(0, "b", "gt"), ">") > 0,
        ["ge"] = (v, a) => PyCompare.Compare(v, a.Required(0, "b", "ge"), ">=") >= 0,
    };

    static Tests()
    {
        Table["equalto"] = Table["=="] = Table["eq"];
        Table["!="] = Table["ne"];
        Table["lessthan"] = Table["<"] = Table["lt"];
        Table["<="] = Table["le"];
        Table["greaterthan"] = Table[">"] = Table["gt"];
        Table[">="] = Table["ge"];
        Table["filter"] = (v, _) => PyTypes.AsString(v) is { } name && Filters.Exists(name);
        Table["test"] = (v, _) => PyTypes.AsString(v) is { } name && Table.ContainsKey(name);
    }

    public static bool Exists(string name) => Table.ContainsKey(name);

    public static object? Invoke(string name, Interpreter interpreter, object? value, Arguments args)
    {
        if (!Table.TryGetValue(name, out var test))
            throw new JinjaRuntimeError($"No test named '{name}'.", "TemplateRuntimeError");
        return test(value, args);
    }

    private static bool IsLower(string s) => s.Any(char.IsLower) && !s.Any(char.IsUpper);

    private static bool IsUpper(string s) => s.Any(char.IsUpper) && !s.Any(char.IsLower);

    /// <summary>Python identity: None/bools/small ints are singletons; other values compare by reference.</summary>
    private static bool SameAs(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (bool x, bool y) => x == y,
        (long x, long y) => x == y && x is >= -5 and <= 256,
        // CPython shares equal string constants; templates compare literals this way.
        (string x, string y) => x == y,
        _ => ReferenceEquals(a, b),
    };
}
