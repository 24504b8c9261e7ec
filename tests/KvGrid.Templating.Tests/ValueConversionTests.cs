using System.Text.Json;
using System.Text.Json.Nodes;

namespace KvGrid.Templating.Tests;

/// <summary>Context values: CLR types, System.Text.Json trees (Python json module number rules) and callables.</summary>
public sealed class ValueConversionTests
{
    private const string Source = "{{ m.role }}|{{ m.n }}|{{ m.f }}|{{ m.e }}|{{ m.list }}|{{ m.none }}|{{ m.flag }}|{{ m.n is integer }}{{ m.f is float }}";

    [Fact]
    public void Json_elements_convert_like_python_json_loads()
    {
        var message = JsonDocument.Parse("{\"role\": \"user\", \"n\": 3, \"f\": 1.0, \"e\": 1e3, \"list\": [1, \"a\"], \"none\": null, \"flag\": true}").RootElement;
        Assert.Equal("user|3|1.0|1000.0|[1, 'a']|None|True|TrueTrue", Jinja.Render(Source, new { m = message }));
    }

    [Fact]
    public void Json_nodes_convert_the_same_way()
    {
        var message = JsonNode.Parse("{\"role\": \"user\", \"n\": 3, \"f\": 1.0, \"e\": 1e3, \"list\": [1, \"a\"], \"none\": null, \"flag\": true}");
        Assert.Equal("user|3|1.0|1000.0|[1, 'a']|None|True|TrueTrue", Jinja.Render(Source, new { m = message }));
    }

    [Fact]
    public void Clr_values_convert_to_python_values()
    {
        var message = new Dictionary<string, object?>
        {
            ["role"] = "user",
            ["n"] = 3L,
            ["f"] = 1.0,
            ["e"] = 1000.0f,
            ["list"] = new List<object?> { 1, "a" },
            ["none"] = null,
            ["flag"] = true,
        };
        Assert.Equal("user|3|1.0|1000.0|[1, 'a']|None|True|TrueTrue", Jinja.Render(Source, new { m = (IReadOnlyDictionary<string, object?>)message }));
    }

    [Fact]
    public void Caller_functions_receive_converted_arguments()
    {
        JinjaFunction describe = args => $"{args.Positional.Count}:{args.Positional[0]}:{args.Named["k"]}";
        Func<object?[], object?> twice = args => new List<object?> { args[0], args[0] };
        Assert.Equal("2:x:v ['y', 'y']", Jinja.Render("{{ describe('x', 2, k='v') }} {{ twice('y') }}", new { describe, twice }));
    }

    [Fact]
    public void Unsupported_context_values_fail_with_a_template_exception()
    {
        Assert.Throws<TemplateException>(() => Jinja.Render("{{ x }}", new { x = new Uri("http://example.com") }));
    }

    [Fact]
    public void Rendering_does_not_change_the_callers_lists()
    {
        var xs = new List<object?> { 1, 2 };
        Assert.Equal("2", Jinja.Render("{{ xs.pop() }}", new { xs }));
        Assert.Equal(2, xs.Count);
    }
}
