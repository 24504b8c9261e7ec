namespace KvGrid.Templating.Runtime.Values;

/// <summary>
/// jinja2's default <c>Undefined</c>: prints as '', is falsy, iterates as empty, has length 0,
/// and raises <see cref="JinjaRuntimeError"/> on arithmetic, attribute or item access, or calls.
/// </summary>
internal sealed class Undefined
{
    private readonly string? _hint;
    private readonly object? _owner;
    private readonly bool _hasOwner;
    private readonly object? _name;

    private Undefined(string? hint, bool hasOwner, object? owner, object? name, bool isSecurity)
    {
        _hint = hint;
        _hasOwner = hasOwner;
        _owner = owner;
        _name = name;
        IsSecurityViolation = isSecurity;
    }

    /// <summary>True when produced by the sandbox refusing an attribute (using it raises a SecurityError).</summary>
    public bool IsSecurityViolation { get; }

    public static Undefined Missing(string name) => new(null, false, null, name, false);

    public static Undefined MissingMember(object? owner, object? name) => new(null, true, owner, name, false);

    public static Undefined WithHint(string hint) => new(hint, false, null, null, false);

    public static Undefined Unsafe(object? owner, string attribute) =>
        new($"access to attribute '{attribute}' of '{PyTypes.Name(owner)}' object is unsafe.", true, owner, attribute, true);

    /// <summary>The message jinja2 raises when this undefined is used (<c>Undefined._undefined_message</c>).</summary>
    public string Message
    {
        get
        {
            if (_hint is not null)
                return _hint;
            if (!_hasOwner)
                return $"{PyText.Repr(_name)} is undefined";
            if (_name is not string)
                return $"{PyTypes.ObjectTypeRepr(_owner)} has no element {PyText.Repr(_name)}";
            return $"{PyText.Repr(PyTypes.ObjectTypeRepr(_owner))} has no attribute {PyText.Repr(_name)}";
        }
    }

    public JinjaRuntimeError Fail() => new(Message, IsSecurityViolation ? "SecurityError" : "UndefinedError");
}
