namespace KvGrid.Templating.Runtime.Callables;

/// <summary>Anything a template can call: macros, bound methods, globals, caller-supplied functions.</summary>
internal interface IPyCallable
{
    string Name { get; }

    object? Call(Interpreter interpreter, Arguments arguments);
}

/// <summary>A callable implemented in C# (globals such as <c>range</c>, <c>namespace</c>, <c>raise_exception</c>).</summary>
internal sealed class BuiltinFunction : IPyCallable
{
    private readonly Func<Interpreter, Arguments, object?> _body;

    public BuiltinFunction(string name, Func<Interpreter, Arguments, object?> body)
    {
        Name = name;
        _body = body;
    }

    public string Name { get; }

    public object? Call(Interpreter interpreter, Arguments arguments) => _body(interpreter, arguments);
}

/// <summary>A Python method bound to its receiver (<c>'a,b'.split</c>, <c>d.items</c>).</summary>
internal sealed class BoundMethod : IPyCallable
{
    private readonly Func<Interpreter, object?, Arguments, object?> _body;

    public BoundMethod(object? receiver, string name, Func<Interpreter, object?, Arguments, object?> body)
    {
        Receiver = receiver;
        Name = name;
        _body = body;
    }

    public object? Receiver { get; }

    public string Name { get; }

    public object? Call(Interpreter interpreter, Arguments arguments) => _body(interpreter, Receiver, arguments);
}
