namespace KvGrid.Templating.Tests;

/// <summary>Python str/dict/list methods as jinja2's ImmutableSandboxedEnvironment exposes them.</summary>
public sealed class PythonMethodTests
{
    [Theory]
    [InlineData("[{{ '  x  '.strip() }}][{{ 'xxhixx'.strip('x') }}][{{ '\\n\\nx\\n'.lstrip('\\n') }}][{{ 'abcba'.rstrip('ab') }}]", "[x][hi][x\n][abc]")]
    [InlineData("{{ 'a,b,,c'.split(',') }} {{ ' a  b \\n c '.split() }} {{ 'a,b,c'.split(',', 1) }} {{ 'a,b,c'.rsplit(',', 1) }}", "['a', 'b', '', 'c'] ['a', 'b', 'c'] ['a', 'b,c'] ['a,b', 'c']")]
    [InlineData("{{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('x', 'lo')) }} {{ \"they're bill's\".title() }}", "True True They'Re Bill'S")]
    [InlineData("{{ 'aXbXc'.replace('X', '-', 1) }} {{ 'hello'.find('l') }} {{ 'hello'.rfind('l') }} {{ 'hello'.find('z') }} {{ 'banana'.count('a') }}", "a-bXc 2 3 -1 3")]
    [InlineData("{{ ', '.join(['a', 'b']) }} {{ '{} and {}'.format('a', 'b') }} {{ '{:>5}|{:.2f}|{:,}'.format('r', 3.14159, 1234567) }}", "a, b a and b     r|3.14|1,234,567")]
    [InlineData("{{ 'a\\nb\\r\\nc'.splitlines() }} {{ '123'.isdigit() }} {{ 'ab'.isalpha() }} {{ '  '.isspace() }}", "['a', 'b', 'c'] True True True")]
    [InlineData("{{ '42'.zfill(5) }} {{ 'a=b=c'.partition('=') }} {{ 'ß'.upper() }}", "00042 ('a', '=', 'b=c') SS")]
    public void String_methods(string source, string expected) => Assert.Equal(expected, Jinja.Render(source));

    [Fact]
    public void Qwen3_style_think_splitting_works()
    {
        const string source = "{{ s.split('</think>')[-1].lstrip('\\n') }}|{{ s.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}";
        Assert.Equal("answer|reasoning", Jinja.Render(source, new { s = "<think>\nreasoning\n</think>\n\nanswer" }));
    }

    [Fact]
    public void Dict_and_list_methods()
    {
        var d = new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2 };
        Assert.Equal("['a', 'b'] [1, 2] [('a', 1), ('b', 2)] 1 None dflt", Jinja.Render("{{ d.keys() | list }} {{ d.values() | list }} {{ d.items() | list }} {{ d.get('a') }} {{ d.get('zz') }} {{ d.get('zz', 'dflt') }}", new { d }));
        Assert.Equal("1 2", Jinja.Render("{{ xs.index(2) }} {{ xs.count(1) }}", new { xs = new object?[] { 1, 2, 1 } }));
    }

    [Fact]
    public void Dict_methods_shadow_keys_of_the_same_name_for_dot_access_only()
    {
        var d = new Dictionary<string, object?> { ["items"] = new object?[] { 1 } };
        Assert.Equal("True|[1]", Jinja.Render("{{ d.items is callable }}|{{ d['items'] }}", new { d }));
    }

    [Theory]
    [InlineData("{{ xs.append(4) }}", "access to attribute 'append' of 'list' object is unsafe.")]
    [InlineData("{{ d.update({'x': 1}) }}", "access to attribute 'update' of 'dict' object is unsafe.")]
    [InlineData("{{ xs.sort() }}", "access to attribute 'sort' of 'list' object is unsafe.")]
    public void Mutating_methods_are_refused_like_the_immutable_sandbox(string source, string message)
    {
        var error = Jinja.Fails(source, new { xs = new object?[] { 2, 1 }, d = new Dictionary<string, object?>() });
        Assert.Equal($"template test:1: {message}", error.Message);
    }

    [Fact]
    public void Sandbox_quirks_pop_and_clear_on_lists_are_allowed_and_unsafe_attributes_print_empty()
    {
        // jinja2 3.1's sandbox only lists append/reverse/insert/sort/extend/remove as mutating for sequences.
        Assert.Equal("2[1]", Jinja.Render("{{ xs.pop() }}{{ xs }}", new { xs = new object?[] { 1, 2 } }));
        Assert.Equal("[]|", Jinja.Render("[{{ xs.append }}]|{{ d.__class__ }}", new { xs = new object?[] { 1 }, d = new Dictionary<string, object?>() }));
    }
}
