namespace KvGrid.Templating.Tests;

/// <summary>jinja2's builtin filters (expected values follow jinja2.filters).</summary>
public sealed class FilterTests
{
    private static readonly object?[] Users =
    [
        new Dictionary<string, object?> { ["name"] = "bob", ["age"] = 31, ["city"] = "Oslo" },
        new Dictionary<string, object?> { ["name"] = "Alice", ["age"] = 25, ["city"] = "paris" },
        new Dictionary<string, object?> { ["name"] = "carol", ["age"] = 31, ["city"] = "Oslo" },
    ];

    [Theory]
    [InlineData("[{{ '  a b  ' | trim }}][{{ 'xxaxx' | trim('x') }}]", "[a b][a]")]
    [InlineData("{{ 'hello wORLD-foo(bar' | title }} {{ 'hELLO' | capitalize }} {{ 'Ab' | upper }}{{ 'Ab' | lower }}", "Hello World-Foo(Bar Hello ABab")]
    [InlineData("{{ 'aaa' | replace('a', 'b', 2) }} {{ 'abc' | replace('', '-') }}", "bba -a-b-c-")]
    [InlineData("{{ 'l1\nl2\n\nl4' | indent }}|{{ 'a\nb' | indent(2, true) }}", "l1\n    l2\n\n    l4|  a\n  b")]
    [InlineData("[{{ 'ab' | center(7) }}]", "[   ab  ]")]
    [InlineData("{{ 'The quick brown fox jumps over the lazy dog' | truncate(20) }}|{{ 'hello world' | truncate(12) }}", "The quick brown...|hello world")]
    [InlineData("{{ 'one two  three' | wordcount }}", "3")]
    [InlineData("{{ '%s and %s' | format('a', 'b') }}", "a and b")]
    [InlineData("{{ '<a href=\"x\">&\\'</a>' | e }}", "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;")]
    [InlineData("{{ 'ß' | upper }} {{ 'ǆa' | capitalize }}", "SS ǅa")]
    public void String_filters(string source, string expected) => Assert.Equal(expected, Jinja.Render(source));

    [Theory]
    [InlineData("{{ xs | length }} {{ xs | count }} {{ xs | first }} {{ xs | last }} {{ [] | first }}|", "3 3 3 2 |")]
    [InlineData("{{ xs | join(', ') }} {{ xs | sort }} {{ xs | sort(reverse=true) }} {{ xs | sum }} {{ xs | min }} {{ xs | max }}", "3, 1, 2 [1, 2, 3] [3, 2, 1] 6 1 3")]
    [InlineData("{{ xs | reverse | list }} {{ xs | list }} {{ 'ab' | list }}", "[2, 1, 3] [3, 1, 2] ['a', 'b']")]
    [InlineData("{{ [1, 2, 1, 3] | unique | list }} {{ ['a', 'A'] | unique | list }}", "[1, 2, 3] ['a']")]
    [InlineData("{{ xs | select('odd') | list }} {{ xs | reject('odd') | list }} {{ xs | select('gt', 1) | list }}", "[3, 1] [2] [3, 2]")]
    [InlineData("{{ ['a', 'b'] | map('upper') | join }}", "AB")]
    [InlineData("{{ [1, 2, 3, 4, 5] | batch(2, 'x') | list }} {{ [1, 2, 3, 4, 5] | slice(2) | list }}", "[[1, 2], [3, 4], [5, 'x']] [[1, 2, 3], [4, 5]]")]
    public void Sequence_filters(string source, string expected) => Assert.Equal(expected, Jinja.Render(source, new { xs = new object?[] { 3, 1, 2 } }));

    [Fact]
    public void Attribute_based_filters()
    {
        Assert.Equal("['bob', 'carol']", Jinja.Render("{{ users | selectattr('age', 'equalto', 31) | map(attribute='name') | list }}", new { users = Users }));
        Assert.Equal("['Alice']", Jinja.Render("{{ users | rejectattr('city', 'eq', 'Oslo') | map(attribute='name') | list }}", new { users = Users }));
        Assert.Equal("Alice,bob,carol", Jinja.Render("{{ users | sort(attribute='age,name') | map(attribute='name') | join(',') }}", new { users = Users }));
        Assert.Equal("['?', '?', '?']", Jinja.Render("{{ users | map(attribute='missing', default='?') | list }}", new { users = Users }));
        Assert.Equal("87", Jinja.Render("{{ users | sum(attribute='age') }}", new { users = Users }));
        Assert.Equal("Oslo:bob/carol;paris:Alice;", Jinja.Render("{% for g in users | groupby('city') %}{{ g.grouper }}:{{ g.list | map(attribute='name') | join('/') }};{% endfor %}", new { users = Users }));
        Assert.Equal("bob, Alice, carol", Jinja.Render("{{ users | join(', ', attribute='name') }}", new { users = Users }));
    }

    [Fact]
    public void Select_and_map_return_one_shot_generators_like_jinja2()
    {
        // A generator is truthy even when empty, and a second iteration yields nothing.
        Assert.Equal("truthy", Jinja.Render("{% if [1] | select('gt', 5) %}truthy{% endif %}"));
        Assert.Equal("a,b|", Jinja.Render("{% set g = ['a', 'b'] | map('lower') %}{{ g | join(',') }}|{{ g | join(',') }}"));
        Assert.Contains("has no len()", Jinja.Fails("{{ [1] | map('string') | length }}").Message);
    }

    [Fact]
    public void Dictionary_filters()
    {
        var d = new Dictionary<string, object?> { ["b"] = 2, ["A"] = 3, ["c"] = 1 };
        Assert.Equal("[('A', 3), ('b', 2), ('c', 1)] [('c', 1), ('b', 2), ('A', 3)]", Jinja.Render("{{ d | dictsort }} {{ d | dictsort(by='value') }}", new { d }));
        Assert.Equal("[('b', 2), ('A', 3), ('c', 1)]", Jinja.Render("{{ d | items | list }}", new { d }));
    }

    [Theory]
    [InlineData("{{ '42' | int }} {{ '42.9' | int }} {{ 'x' | int(7) }} {{ '0x1A' | int(0, 16) }} {{ 3.99 | int }}", "42 42 7 26 3")]
    [InlineData("{{ '3.5' | float }} {{ 'x' | float }} {{ 2 | float }}", "3.5 0.0 2.0")]
    [InlineData("{{ -3 | abs }} {{ 2.5 | round }} {{ 3.5 | round }} {{ 2.675 | round(2) }} {{ 1.23456 | round(3, 'floor') }} {{ 5 | round }}", "3 2.0 4.0 2.67 1.234 5")]
    [InlineData("{{ x | default('d') }}|{{ '' | default('e', true) }}|{{ none | default('n') }}|{{ 0 | d('z', boolean=true) }}", "d|e|None|z")]
    [InlineData("{{ 1 | string }}{{ none | string }}{{ [1] | string }}", "1None[1]")]
    public void Conversion_filters(string source, string expected) => Assert.Equal(expected, Jinja.Render(source));

    [Fact]
    public void Unknown_filters_are_rejected_when_parsing()
    {
        var error = Assert.Throws<TemplateException>(() => JinjaTemplate.Parse("line1\n{{ x | nosuchfilter }}", "tpl"));
        Assert.Equal("template tpl:2: No filter named 'nosuchfilter'.", error.Message);
    }
}
