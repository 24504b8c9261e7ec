namespace KvGrid.Templating.Runtime.Values;

/// <summary>Python's <c>iter()</c> over runtime values: dicts yield keys, strings yield characters, undefined yields nothing.</summary>
internal static class PyIteration
{
    public static IEnumerable<object?> Iterate(object? value) => value switch
    {
        List<object?> list => list,
        PyTuple tuple => tuple.Items,
        PyDict dict => dict.Keys,
        string s => PyStrings.CodePoints(s),
        Markup m => PyStrings.CodePoints(m.Value),
        Undefined u => u.IsSecurityViolation ? throw u.Fail() : [],
        PyGenerator g => g.Consume(),
        _ => throw new JinjaRuntimeError($"'{PyTypes.Name(value)}' object is not iterable"),
    };

    /// <summary>A fresh list of the items (safe to index and to keep while the source changes).</summary>
    public static List<object?> ToList(object? value) => value is List<object?> list ? new List<object?>(list) : Iterate(value).ToList();

    public static bool IsIterable(object? value) => value is List<object?> or PyTuple or PyDict or string or Markup or Undefined or PyGenerator;

    /// <summary>Python's <c>len()</c>.</summary>
    public static long Length(object? value) => value switch
    {
        string s => PyStrings.Length(s),
        Markup m => PyStrings.Length(m.Value),
        List<object?> list => list.Count,
        PyTuple tuple => tuple.Count,
        PyDict dict => dict.Count,
        Undefined => 0,
        _ => throw new JinjaRuntimeError($"object of type '{PyTypes.Name(value)}' has no len()"),
    };
}
