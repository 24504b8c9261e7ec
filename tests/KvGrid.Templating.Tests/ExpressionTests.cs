namespace KvGrid.Templating.Tests;

/// <summary>Literals, printing like Python's str(), operators, precedence, slicing and the % operator.</summary>
public sealed class ExpressionTests
{
    [Theory]
    [InlineData("{{ true }}|{{ False }}|{{ none }}", "True|False|None")]
    [InlineData("{{ 1.0 }} {{ 0.1 }} {{ 1e-05 }} {{ 1e16 }} {{ 1e15 }} {{ 1/3 }}", "1.0 0.1 1e-05 1e+16 1000000000000000.0 0.3333333333333333")]
    [InlineData("{{ [1, 'x', none] }} {{ (1,) }} {{ {'a': 'b'} }}", "[1, 'x', None] (1,) {'a': 'b'}")]
    [InlineData("{{ [\"it's\"] }}", "[\"it's\"]")]
    [InlineData("{{ 'a\\tb\\u00e9\\x41' }}", "a\tbéA")]
    [InlineData("{{ 1_000 }} {{ 0x1F }} {{ 0b101 }}", "1000 31 5")]
    [InlineData("{{ 'adj' 'acent' }}", "adjacent")]
    public void Literals_print_like_python(string source, string expected) => Assert.Equal(expected, Jinja.Render(source));

    [Theory]
    [InlineData("{{ 10 / 4 }} {{ 10 // 4 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 2 ** 10 }}", "2.5 2 -4 2 1024")]
    [InlineData("{{ 1 + 2 * 3 }} {{ -2 ** 2 }} {{ 2 ** 3 ** 2 }}", "7 4 64")]
    [InlineData("{{ 'ab' * 2 }} {{ [1] + [2] }} {{ 'x' ~ 1 ~ none }}", "abab [1, 2] x1None")]
    [InlineData("{{ 1 == 1.0 }} {{ true == 1 }} {{ 1 < 2 < 3 }} {{ 'b' in 'abc' }} {{ 3 not in [1] }}", "True True True True True")]
    [InlineData("{{ 0 or 'x' }} {{ 1 and 'y' }} {{ not '' }}", "x y True")]
    [InlineData("{{ 'y' if 1 else 'n' }}|{{ 'only' if false }}|", "y||")]
    public void Operators_follow_python_semantics_and_jinja_precedence(string source, string expected) =>
        Assert.Equal(expected, Jinja.Render(source));

    [Fact]
    public void Slices_support_negative_indices_and_steps_on_lists_and_strings()
    {
        var context = new { xs = new object?[] { 1, 2, 3, 4, 5 }, s = "héllo" };
        Assert.Equal("[2, 3] [5, 4, 3, 2, 1] [4, 5] olllé 5", Jinja.Render("{{ xs[1:3] }} {{ xs[::-1] }} {{ xs[-2:] }} {{ s[:-3:-1] ~ s[1:4][::-1] }} {{ xs[-1] }}", context));
    }

    [Fact]
    public void String_indexing_counts_code_points_not_utf16_units()
    {
        Assert.Equal("3 😀 b😀a", Jinja.Render("{{ s | length }} {{ s[1] }} {{ s[::-1] }}", new { s = "a😀b" }));
    }

    [Theory]
    [InlineData("{{ '%s-%d' % ('a', 7) }}", "a-7")]
    [InlineData("{{ '%r' % 'x' }}", "'x'")]
    [InlineData("{{ '%5.1f|%-4s|%03d' % (2.25, 'ab', 7) }}", "  2.2|ab  |007")]
    [InlineData("{{ '%(k)s' % {'k': 1} }}", "1")]
    [InlineData("{{ '%d%%' % 50 }}", "50%")]
    public void Percent_formats_like_python(string source, string expected) => Assert.Equal(expected, Jinja.Render(source));

    [Fact]
    public void Tuple_output_and_attribute_access_on_dicts()
    {
        Assert.Equal("(1, 2) v v", Jinja.Render("{{ 1, 2 }} {{ d.k }} {{ d['k'] }}", new { d = new Dictionary<string, object?> { ["k"] = "v" } }));
    }
}
