namespace KvGrid.Templating.Tests;

/// <summary>Undefined semantics, one-line error messages with template lines, raise_exception, no internal exceptions.</summary>
public sealed class ErrorTests
{
    [Fact]
    public void Undefined_prints_empty_is_falsy_iterates_empty_and_has_length_zero()
    {
        Assert.Equal("[][False][][0][d][]", Jinja.Render("[{{ missing }}][{{ missing is defined }}][{% for x in missing %}{{ x }}{% endfor %}][{{ missing | length }}][{{ missing | default('d') }}][{{ missing ~ '' }}]"));
    }

    [Theory]
    [InlineData("{{ missing.attr }}", "template test:1: 'missing' is undefined")]
    [InlineData("{{ d.missing.deeper }}", "template test:1: 'dict object' has no attribute 'missing'")]
    [InlineData("{{ xs[5].name }}", "template test:1: list object has no element 5")]
    [InlineData("{{ missing + 1 }}", "template test:1: 'missing' is undefined")]
    [InlineData("{{ 1 / 0 }}", "template test:1: division by zero")]
    [InlineData("{{ 'a' + 1 }}", "template test:1: can only concatenate str (not \"int\") to str")]
    [InlineData("{{ missing() }}", "template test:1: 'missing' is undefined")]
    [InlineData("{% set ns = 1 %}{% set ns.a = 2 %}", "template test:1: cannot assign attribute on non-namespace object")]
    public void Runtime_errors_name_the_template_and_line(string source, string message)
    {
        Assert.Equal(message, Jinja.Fails(source, new { d = new Dictionary<string, object?>(), xs = new object?[] { 1 } }).Message);
    }

    [Fact]
    public void Runtime_error_lines_point_at_the_failing_statement()
    {
        var error = Jinja.Fails("a\n{% set x = 1 %}\n\n{{ x.y.z }}\n");
        Assert.Equal("template test:4: 'int object' has no attribute 'y'", error.Message);
        Assert.Equal(4, error.Line);
    }

    [Theory]
    [InlineData("{% if %}", "template t:1: Expected an expression, got 'end of statement block'")]
    [InlineData("{% if true %}unclosed", "template t:1: Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.")]
    [InlineData("{% endif %}", "template t:1: Encountered unknown tag 'endif'.")]
    [InlineData("\n\n{{ 'unterminated }}", "template t:3: unexpected char \"'\" at 5")]
    [InlineData("{% for x in y %}{% endif %}", "template t:1: Encountered unknown tag 'endif'. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.")]
    [InlineData("{% include 'x' %}", "template t:1: tag 'include' is not supported in chat templates")]
    public void Syntax_errors_are_one_line_with_name_and_line(string source, string message)
    {
        var error = Assert.Throws<TemplateException>(() => JinjaTemplate.Parse(source, "t"));
        Assert.Equal(message, error.Message);
        Assert.False(error.RaisedByTemplate);
    }

    [Fact]
    public void Raise_exception_message_is_passed_through_verbatim()
    {
        var error = Jinja.Fails("{% if messages | length > 1 %}{{ raise_exception('Only ' ~ 1 ~ ' message allowed!') }}{% endif %}", new { messages = new object?[] { 1, 2 } });
        Assert.Equal("Only 1 message allowed!", error.Message);
        Assert.True(error.RaisedByTemplate);
    }

    [Theory]
    [InlineData("{{ [1] < 'a' }}")]
    [InlineData("{% for a, b in [1] %}{% endfor %}")]
    [InlineData("{{ range(1, 2, 0) | list }}")]
    [InlineData("{{ range(200000) | length }}")]
    [InlineData("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}")]
    [InlineData("{{ 9223372036854775807 + 1 }}")]
    [InlineData("{{ ''.join([1]) }}")]
    [InlineData("{{ 'x'.format(**1) }}")]
    [InlineData("{{ ['a', 1] | sort }}")]
    [InlineData("{{ {[1]: 2} }}")]
    [InlineData("{{ 'abc' | truncate(1) }}")]
    [InlineData("{{ '%d' % 'x' }}")]
    [InlineData("{{ '{0[5]}'.format([1]) }}")]
    public void Failures_surface_as_one_line_template_exceptions_only(string source)
    {
        var error = Jinja.Fails(source);
        Assert.StartsWith("template test:", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("internal error", error.Message);
    }
}
