namespace KvGrid.Templating.Tests;

/// <summary>HuggingFace's tojson: json.dumps(x, ensure_ascii=False, indent, separators, sort_keys) byte for byte.</summary>
public sealed class JsonFilterTests
{
    [Fact]
    public void Default_separators_and_escapes_match_python()
    {
        var data = new Dictionary<string, object?>
        {
            ["s"] = "q\"uote\\ nl\n tab\t ctl\u0001 é 日本 😀 </script>",
            ["n"] = 1,
            ["f"] = 1.5,
            ["g"] = 1e-07,
            ["b"] = true,
            ["z"] = null,
            ["l"] = new object?[] { 1, new object?[] { 2 }, new Dictionary<string, object?>() },
        };
        Assert.Equal(
            "{\"s\": \"q\\\"uote\\\\ nl\\n tab\\t ctl\\u0001 é 日本 😀 </script>\", \"n\": 1, \"f\": 1.5, \"g\": 1e-07, \"b\": true, \"z\": null, \"l\": [1, [2], {}]}",
            Jinja.Render("{{ data | tojson }}", new { data }));
    }

    [Fact]
    public void Indent_uses_comma_without_space_and_keeps_empty_containers_inline()
    {
        var data = new Dictionary<string, object?> { ["a"] = new object?[] { 1, new Dictionary<string, object?> { ["b"] = null } }, ["c"] = new Dictionary<string, object?>(), ["d"] = Array.Empty<object?>() };
        Assert.Equal("{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": []\n}", Jinja.Render("{{ data | tojson(indent=2) }}", new { data }));
        Assert.Equal("[\n1\n]|[\n\t1\n]", Jinja.Render("{{ [1] | tojson(indent=0) }}|{{ [1] | tojson(indent='\\t') }}"));
    }

    [Fact]
    public void Sort_keys_separators_and_ensure_ascii()
    {
        Assert.Equal(
            "{\"a\": 1, \"z\": \"é\"}|{\"z\":\"é\",\"a\":1}|{\"z\": \"\\u00e9\\ud83d\\ude00\", \"a\": 1}",
            Jinja.Render("{{ {'z': 'é', 'a': 1} | tojson(sort_keys=true) }}|{{ {'z': 'é', 'a': 1} | tojson(separators=(',', ':')) }}|{{ {'z': 'é😀', 'a': 1} | tojson(ensure_ascii=true) }}"));
    }

    [Fact]
    public void Floats_print_like_python_repr_and_non_finite_values_like_json_dumps()
    {
        Assert.Equal("[1.0, 0.1, 3e+20, -2.5, 1e+16, 1234567.0] NaN Infinity", Jinja.Render("{{ [1.0, 0.1, 3.0e20, -2.5, 1e16, 1234567.0] | tojson }} {{ (0.0 * 1e309) | tojson }} {{ 1e309 | tojson }}"));
    }

    [Fact]
    public void Non_string_keys_are_converted_equal_numbers_share_a_key_and_tuples_become_arrays()
    {
        Assert.Equal("{\"1\": \"bool\", \"null\": \"none\"} [1, 2]", Jinja.Render("{{ {1: 'int', true: 'bool', none: 'none'} | tojson }} {{ (1, 2) | tojson }}"));
    }

    [Fact]
    public void Undefined_is_not_serializable()
    {
        Assert.Equal("template test:1: Object of type Undefined is not JSON serializable", Jinja.Fails("{{ missing | tojson }}").Message);
    }
}
