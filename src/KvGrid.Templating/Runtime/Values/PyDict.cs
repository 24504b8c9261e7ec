namespace KvGrid.Templating.Runtime.Values;

/// <summary>
/// An insertion-ordered Python dict. Keys follow Python hashing (1, 1.0 and True are one key);
/// None is stored under <see cref="NoneKey"/> because .NET dictionaries refuse null keys.
/// </summary>
internal sealed class PyDict
{
    private static readonly object NoneKey = new();
    private readonly OrderedDictionary<object, object?> _items;

    public PyDict() => _items = new OrderedDictionary<object, object?>(PyKeyComparer.Instance);

    public PyDict(int capacity) => _items = new OrderedDictionary<object, object?>(capacity, PyKeyComparer.Instance);

    public int Count => _items.Count;

    public IEnumerable<object?> Keys
    {
        get
        {
            foreach (var key in _items.Keys)
                yield return ReferenceEquals(key, NoneKey) ? null : key;
        }
    }

    public IEnumerable<object?> Values => _items.Values;

    public IEnumerable<KeyValuePair<object?, object?>> Items
    {
        get
        {
            foreach (var pair in _items)
                yield return new KeyValuePair<object?, object?>(ReferenceEquals(pair.Key, NoneKey) ? null : pair.Key, pair.Value);
        }
    }

    public void Set(object? key, object? value)
    {
        PyKeyComparer.EnsureHashable(key);
        _items[key ?? NoneKey] = value;
    }

    public bool TryGet(object? key, out object? value)
    {
        if (!PyKeyComparer.IsHashable(key))
        {
            value = null;
            return false;
        }
        return _items.TryGetValue(key ?? NoneKey, out value);
    }

    public bool ContainsKey(object? key) => PyKeyComparer.IsHashable(key) && _items.ContainsKey(key ?? NoneKey);

    public PyDict Copy()
    {
        var copy = new PyDict(Count);
        foreach (var pair in Items)
            copy.Set(pair.Key, pair.Value);
        return copy;
    }
}
