namespace KvGrid.Templating.Runtime.Values;

/// <summary>A string marked safe for HTML (<c>|safe</c>, <c>|escape</c>); prints like its text.</summary>
internal sealed class Markup
{
    public Markup(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => Value;
}
