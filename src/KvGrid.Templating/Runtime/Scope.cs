namespace KvGrid.Templating.Runtime;

/// <summary>
/// One variable frame. Template root, each loop iteration, macro calls and with-blocks get their own
/// frame; assignments write to the innermost frame, lookups walk outwards (jinja2's scoping rules).
/// </summary>
internal sealed class Scope
{
    private Dictionary<string, object?>? _variables;

    public Scope(Scope? parent) => Parent = parent;

    public Scope? Parent { get; }

    public void Set(string name, object? value) => (_variables ??= new Dictionary<string, object?>(StringComparer.Ordinal))[name] = value;

    public bool TryLookup(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._variables is not null && scope._variables.TryGetValue(name, out value))
                return true;
        }
        value = null;
        return false;
    }
}
