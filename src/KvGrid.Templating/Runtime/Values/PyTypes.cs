using KvGrid.Templating.Runtime.Callables;

namespace KvGrid.Templating.Runtime.Values;

/// <summary>Python type names of runtime values, as they appear in jinja2/Python error messages.</summary>
internal static class PyTypes
{
    public static string Name(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        Markup => "Markup",
        List<object?> => "list",
        PyTuple => "tuple",
        PyDict => "dict",
        Undefined => "Undefined",
        Namespace => "Namespace",
        LoopContext => "LoopContext",
        Macro => "Macro",
        BoundMethod => "builtin_function_or_method",
        PyGenerator g => g.TypeName,
        _ => "function",
    };

    /// <summary>jinja2's <c>object_type_repr</c>: "None", "dict object", "jinja2.utils.Namespace object", ...</summary>
    public static string ObjectTypeRepr(object? value) => value switch
    {
        null => "None",
        Namespace => "jinja2.utils.Namespace object",
        LoopContext => "jinja2.runtime.LoopContext object",
        Macro => "jinja2.runtime.Macro object",
        Markup => "markupsafe.Markup object",
        Undefined => "jinja2.runtime.Undefined object",
        _ => Name(value) + " object",
    };

    public static bool IsString(object? value) => value is string or Markup;

    /// <summary>Text of a str or Markup value; null for anything else.</summary>
    public static string? AsString(object? value) => value switch
    {
        string s => s,
        Markup m => m.Value,
        _ => null,
    };

    public static bool IsInteger(object? value) => value is long or bool;

    public static bool IsNumber(object? value) => value is long or bool or double;

    public static long ToLong(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new JinjaRuntimeError($"'{Name(value)}' object cannot be interpreted as an integer"),
    };

    public static double ToDouble(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d => d,
        _ => throw new JinjaRuntimeError($"must be real number, not {Name(value)}"),
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        Markup m => m.Value.Length > 0,
        List<object?> list => list.Count > 0,
        PyTuple t => t.Count > 0,
        PyDict d => d.Count > 0,
        Undefined => false,
        _ => true,
    };
}
