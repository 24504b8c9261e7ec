using KvGrid.Presses;

namespace KvGrid.Compression.Tests;

/// <summary>The press definitions and the scorers agree: one list, nothing kept in sync by hand.</summary>
public sealed class PressDefinitionTests
{
    [Fact]
    public void Every_definition_has_a_scorer_and_every_scorer_a_definition()
    {
        Assert.Equal(PressDefinitions.Names.Order(), PressRegistry.Names.Order());
        foreach (var alias in PressDefinitions.Aliases) Assert.Equal(alias.Value, PressRegistry.Canonical(alias.Key));
    }

    [Fact]
    public void The_scorers_defaults_are_the_definitions_defaults()
    {
        var defaults = new PressParameters();
        var byName = new Dictionary<string, string>
        {
            ["window_size"] = defaults.WindowSize.ToString(), ["kernel_size"] = defaults.KernelSize.ToString(),
            ["n_sink"] = defaults.NSink.ToString(), ["beta"] = defaults.Beta.ToString(), ["seed"] = defaults.Seed.ToString(),
        };
        var parameters = PressDefinitions.All.SelectMany(d => d.Parameters).ToList();
        Assert.Equal(byName.Keys.Order(), parameters.Select(p => p.Name).Distinct().Order());
        Assert.All(parameters, p => Assert.Equal(byName[p.Name], p.Default));
    }

    [Fact]
    public void Every_press_accepts_its_defaults_given_explicitly_and_names_the_parameter_it_refuses()
    {
        foreach (var press in PressDefinitions.All)
        {
            var explicitDefaults = press.Parameters.ToDictionary(p => p.Name, p => p.Default);
            Assert.Equal(press.Name, PressRegistry.Create(press.Name, explicitDefaults).Name);
            foreach (var parameter in press.Parameters)
            {
                var bad = new Dictionary<string, string> { [parameter.Name] = parameter.MustBeOdd ? "4" : "-1" };
                var e = Assert.Throws<CompressionException>(() => PressRegistry.Create(press.Name, bad));
                Assert.StartsWith($"press {press.Name}: {parameter.Name} must be", e.Message);
            }
        }
    }

    /// <summary>Values each parameter's rule refuses: below its minimum, not a whole number, even where it must be odd.</summary>
    public static IEnumerable<string> BadValues(PressParameter p) =>
        new[] { (p.Minimum - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "1.5", "x" }
            .Concat(p.MustBeOdd ? ["4"] : []);

    [Fact]
    public void A_bad_value_is_refused_with_one_message_by_the_registry_and_the_expression_parser()
    {
        foreach (var press in PressDefinitions.All.Where(d => !d.IsWrapper))
            foreach (var parameter in press.Parameters.Where(p => p.Kind == PressParameterKind.Integer))
                foreach (var bad in BadValues(parameter))
                {
                    var rule = $"press {press.Name}: {parameter.Problem(bad)}";
                    Assert.NotNull(parameter.Problem(bad));
                    Assert.Equal(rule, Assert.Throws<CompressionException>(() => PressRegistry.Create(press.Name, new Dictionary<string, string> { [parameter.Name] = bad })).Message);
                    var e = Assert.Throws<PressExpressionException>(() => PressExpression.Parse($"{press.Name}({parameter.Name}={bad})"));
                    Assert.Equal(rule, e.Detail);
                    Assert.Equal(press.Name.Length + parameter.Name.Length + 3, e.Column); // the value's first character
                }
    }

    [Fact]
    public void Every_definition_names_the_method_it_follows() =>
        Assert.All(PressDefinitions.All, d => Assert.False(string.IsNullOrWhiteSpace(d.Reference)));
}
