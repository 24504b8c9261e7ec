namespace KvGrid.Templating.Runtime.Values;

/// <summary>The object built by <c>namespace(...)</c>: the only thing <c>{% set ns.attr = v %}</c> may assign to.</summary>
internal sealed class Namespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
