namespace KvGrid.Templating.Runtime.Values;

/// <summary>
/// A one-shot Python iterator, as returned by jinja2's select/reject/map/unique/items/batch/slice filters
/// and reverse on lists: always truthy, has no len(), and iterating it consumes it.
/// The items are computed eagerly; only consumption and the type's behaviour are modelled.
/// </summary>
internal sealed class PyGenerator
{
    private readonly List<object?> _items;
    private int _position;

    public PyGenerator(string typeName, string functionName, List<object?> items)
    {
        TypeName = typeName;
        FunctionName = functionName;
        _items = items;
    }

    public string TypeName { get; }

    public string FunctionName { get; }

    public IEnumerable<object?> Consume()
    {
        while (_position < _items.Count)
            yield return _items[_position++];
    }

    public string Repr() => TypeName == "generator" ? $"<generator object {FunctionName} at 0x0>" : $"<{TypeName} object at 0x0>";
}
