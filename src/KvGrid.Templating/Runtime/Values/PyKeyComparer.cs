namespace KvGrid.Templating.Runtime.Values;

/// <summary>Python's hash/eq for dict keys: numbers compare by value across int, float and bool.</summary>
internal sealed class PyKeyComparer : IEqualityComparer<object>
{
    public static readonly PyKeyComparer Instance = new();

    public new bool Equals(object? x, object? y) => PyCompare.AreEqual(x, y);

    public int GetHashCode(object obj) => Hash(obj);

    public static bool IsHashable(object? key) => key switch
    {
        List<object?> or PyDict or Namespace => false,
        PyTuple t => t.Items.All(IsHashable),
        _ => true,
    };

    public static void EnsureHashable(object? key)
    {
        if (!IsHashable(key))
            throw new JinjaRuntimeError($"unhashable type: '{PyTypes.Name(key)}'");
    }

    private static int Hash(object? obj) => obj switch
    {
        null => 0,
        bool b => b ? 1 : 0,
        long l => l.GetHashCode(),
        double d when Math.Floor(d) == d && Math.Abs(d) < 9.2e18 => ((long)d).GetHashCode(),
        double d => d.GetHashCode(),
        string s => StringComparer.Ordinal.GetHashCode(s),
        Markup m => StringComparer.Ordinal.GetHashCode(m.Value),
        PyTuple t => t.Items.Aggregate(17, (h, item) => h * 31 + Hash(item)),
        _ => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj),
    };
}
