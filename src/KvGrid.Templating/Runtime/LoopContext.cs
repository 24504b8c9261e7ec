using KvGrid.Templating.Runtime.Callables;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime;

/// <summary>The <c>loop</c> variable of a for loop (jinja2.runtime.LoopContext).</summary>
internal sealed class LoopContext
{
    private readonly List<object?> _items;
    private readonly Func<object?, int, string>? _recurse;
    private object? _lastChanged = Sentinel;
    private static readonly object Sentinel = new();

    public LoopContext(List<object?> items, int depth0, Func<object?, int, string>? recurse)
    {
        _items = items;
        Depth0 = depth0;
        _recurse = recurse;
    }

    public int Index0 { get; set; }

    public int Length => _items.Count;

    public int Depth0 { get; }

    public object? GetAttribute(string name) => name switch
    {
        "index" => (long)(Index0 + 1),
        "index0" => (long)Index0,
        "revindex" => (long)(Length - Index0),
        "revindex0" => (long)(Length - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == Length - 1,
        "length" => (long)Length,
        "depth" => (long)(Depth0 + 1),
        "depth0" => (long)Depth0,
        "previtem" => Index0 > 0 ? _items[Index0 - 1] : Undefined.WithHint("there is no previous item"),
        "nextitem" => Index0 < Length - 1 ? _items[Index0 + 1] : Undefined.WithHint("there is no next item"),
        "cycle" => new BoundMethod(this, "cycle", (_, _, args) =>
        {
            if (args.Count == 0)
                throw new JinjaRuntimeError("no items for cycling given");
            return args.Positional[Index0 % args.Count];
        }),
        "changed" => new BoundMethod(this, "changed", (_, _, args) =>
        {
            var value = new PyTuple(args.Positional.ToArray());
            if (ReferenceEquals(_lastChanged, Sentinel) || !PyCompare.AreEqual(_lastChanged, value))
            {
                _lastChanged = value;
                return true;
            }
            return false;
        }),
        _ => Undefined.MissingMember(this, name),
    };

    /// <summary><c>loop(children)</c> inside a recursive loop renders the body over the children one level deeper.</summary>
    public object? Call(Arguments args)
    {
        if (_recurse is null)
            throw new JinjaRuntimeError("Tried to call non recursive loop.  Maybe you forgot the 'recursive' modifier.");
        if (args.Count != 1)
            throw new JinjaRuntimeError("loop() takes exactly one argument");
        return _recurse(args.Positional[0], Depth0 + 1);
    }
}
