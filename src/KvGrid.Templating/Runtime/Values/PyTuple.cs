namespace KvGrid.Templating.Runtime.Values;

/// <summary>An immutable Python tuple (prints with parentheses, compares element-wise).</summary>
internal sealed class PyTuple : IReadOnlyList<object?>
{
    public static readonly PyTuple Empty = new([]);

    public PyTuple(object?[] items, string? typeName = null, string[]? fieldNames = null)
    {
        Items = items;
        TypeName = typeName;
        FieldNames = fieldNames;
    }

    /// <summary>Set for named tuples (e.g. groupby's <c>_GroupTuple</c>): their repr and field attributes.</summary>
    public string? TypeName { get; }

    public string[]? FieldNames { get; }

    public object?[] Items { get; }

    public int Count => Items.Length;

    public object? this[int index] => Items[index];

    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)Items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => Items.GetEnumerator();
}
