namespace KvGrid.Templating;

/// <summary>A callable a caller can put in the render context (e.g. a custom global).</summary>
/// <param name="arguments">Positional and keyword arguments, already converted to template values.</param>
/// <returns>A value of any type accepted in a render context.</returns>
public delegate object? JinjaFunction(JinjaArguments arguments);

/// <summary>Arguments of a call from a template into a <see cref="JinjaFunction"/>.</summary>
public sealed class JinjaArguments
{
    public JinjaArguments(IReadOnlyList<object?> positional, IReadOnlyDictionary<string, object?> named)
    {
        Positional = positional;
        Named = named;
    }

    public IReadOnlyList<object?> Positional { get; }

    public IReadOnlyDictionary<string, object?> Named { get; }
}
