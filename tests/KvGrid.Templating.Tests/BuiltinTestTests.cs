namespace KvGrid.Templating.Tests;

/// <summary>jinja2's builtin tests (<c>is defined</c>, <c>is divisibleby 3</c>, ...).</summary>
public sealed class BuiltinTestTests
{
    [Theory]
    [InlineData("{{ missing is defined }} {{ missing is undefined }} {{ d.k is defined }} {{ d.zz is defined }} {{ d['zz'] is defined }}", "False True True False False")]
    [InlineData("{{ none is none }} {{ 0 is none }} {{ x is not none }}", "True False True")]
    [InlineData("{{ 1 is odd }} {{ 2 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }}", "True True True False")]
    [InlineData("{{ 'a' is string }} {{ 1 is number }} {{ true is number }} {{ 1 is integer }} {{ 1.0 is integer }} {{ 1.0 is float }} {{ true is boolean }}", "True True True True False True True")]
    [InlineData("{{ {} is mapping }} {{ [] is mapping }} {{ 'x' is iterable }} {{ 1 is iterable }} {{ missing is iterable }} {{ {} is sequence }}", "True False True False True True")]
    [InlineData("{{ true is true }} {{ 1 is true }} {{ false is false }}", "True False True")]
    [InlineData("{{ 1 is eq 1 }} {{ 1 is equalto 2 }} {{ 1 is ne 2 }} {{ 1 is lt 2 }} {{ 2 is gt 1 }} {{ 2 is le 2 }} {{ 2 is ge 3 }}", "True False True True True True False")]
    [InlineData("{{ 3 is in [1, 3] }} {{ 'abc' is lower }} {{ 'ABC' is upper }} {{ range is callable }} {{ 'x'.upper is callable }} {{ 1 is callable }}", "True True True True True False")]
    public void Tests_follow_jinja2(string source, string expected) =>
        Assert.Equal(expected, Jinja.Render(source, new { x = 1, d = new Dictionary<string, object?> { ["k"] = "v" } }));

    [Fact]
    public void Select_accepts_operator_test_names()
    {
        Assert.Equal("[2, 2]", Jinja.Render("{{ [1, 2, 3, 2] | select('==', 2) | list }}"));
    }
}
