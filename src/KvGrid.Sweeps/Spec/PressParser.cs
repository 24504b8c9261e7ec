using KvGrid.Contracts;
using KvGrid.Presses;
using KvGrid.Sweeps.Catalogs;

namespace KvGrid.Sweeps.Spec;

/// <summary>
/// A press entry: a press expression (<c>snapkv</c>, <c>snapkv(window_size=8)</c>), or a mapping with a name and
/// parameters (<c>{ name: snapkv, window_size: 8 }</c>). Both give the same <see cref="PressRef"/> and print the same
/// canonical expression.
/// </summary>
internal static class PressParser
{
    public static PressRef Parse(SpecNode entry)
    {
        if (entry.IsScalar)
        {
            var text = entry.AsNonEmptyString();
            if (text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return ToRef(PressExpression.Create(Find(entry, text).Name)); // a bare name; unknown ones get a spelling hint
            }

            try
            {
                return ToRef(PressExpression.Parse(text));
            }
            catch (PressExpressionException e)
            {
                throw ExpressionError(entry, text, e);
            }
        }

        if (!entry.IsMapping)
        {
            throw entry.Error($"a press is a name or a mapping with 'name' and parameters, not {entry.Describe()}");
        }

        // Read the name first: the allowed keys depend on the press.
        var nameNode = ((YamlDotNet.RepresentationModel.YamlMappingNode)entry.Yaml).Children
            .FirstOrDefault(kv => kv.Key is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "name" }).Value;
        if (nameNode is null)
        {
            throw entry.Error("missing required key 'name'");
        }

        var press = Find(entry.Child(nameNode, "name"), entry.Child(nameNode, "name").AsNonEmptyString());
        var allowed = press.Parameters.Select(p => p.Name).Prepend("name").ToList();
        SpecMapping map;
        try
        {
            map = entry.AsMapping(allowed);
        }
        catch (SweepSpecException e) when (e.Detail.StartsWith("unknown key", StringComparison.Ordinal))
        {
            var parameters = press.Parameters.Count == 0 ? "none" : string.Join(", ", press.Parameters.Select(p => p.Name));
            throw new SweepSpecException(e.Source, e.At, $"press {press.Name} has no parameter {e.Detail["unknown key ".Length..].Split(" in ")[0]}"
                + $" (its parameters: {parameters}){HintOf(e.Detail)}");
        }

        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in press.Parameters)
        {
            if (map.Get(parameter.Name) is not { } valueNode)
            {
                continue;
            }

            given[parameter.Name] = ParseValue(press, parameter, valueNode);
        }

        return ToRef(PressExpression.Create(press.Name, given));
    }

    /// <summary>The record a context carries: canonical name, every value (defaults filled in), the canonical text.</summary>
    public static PressRef ToRef(PressExpression press) =>
        new(press.Name, press.Values, press.ToString(), press.Inner is null ? null : ToRef(press.Inner));

    /// <summary>Points at the character of the expression that is wrong: the scalar's column plus the expression's (one-line scalars).</summary>
    private static SweepSpecException ExpressionError(SpecNode entry, string text, PressExpressionException e)
    {
        var scalar = (YamlDotNet.RepresentationModel.YamlScalarNode)entry.Yaml;
        var oneLine = scalar.Start.Line == scalar.End.Line;
        var quote = scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted ? 1 : 0;
        var at = oneLine && e.Column > 0 ? entry.At with { Column = entry.At.Column + quote + e.Column - 1 } : entry.At;
        var where = entry.Path.Length > 0 ? entry.Path + ": " : "";
        return new SweepSpecException(entry.Source, at, $"{where}press '{text}': {e.Detail}", e);
    }

    private static string HintOf(string detail)
    {
        var at = detail.IndexOf(" (did you mean", StringComparison.Ordinal);
        return at >= 0 ? detail[at..] : "";
    }

    private static PressDefinition Find(SpecNode node, string name) =>
        PressDefinitions.Find(name) ?? throw node.Error($"unknown press '{name}'{Suggestions.Hint(name, PressDefinitions.Names)}");

    /// <summary>A mapping's parameter value, checked by the definition's own rule (the same message as every other spelling).</summary>
    private static string ParseValue(PressDefinition press, PressParameter parameter, SpecNode node)
    {
        if (!node.IsScalar)
        {
            throw node.Error($"press {press.Name}: {parameter.Name} must be one value, not {node.Describe()}");
        }

        var scalar = (YamlDotNet.RepresentationModel.YamlScalarNode)node.Yaml;
        var text = scalar.Value ?? "";
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted)
        {
            throw node.Error($"press {press.Name}: {parameter.Name} takes an unquoted value, not the string '{text}'");
        }

        if (parameter.Problem(text) is { } problem)
        {
            throw node.Error($"press {press.Name}: {problem}");
        }

        return parameter.Normalise(text);
    }
}
