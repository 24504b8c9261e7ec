namespace KvGrid.Templating.Tests;

/// <summary>if/elif/else, for (loop variables, unpacking, filtering, else, break/continue, recursion), set, namespace, macros, call/filter/with/generation blocks.</summary>
public sealed class StatementTests
{
    private static readonly object?[] Abc = ["a", "b", "c"];

    [Fact]
    public void If_elif_else_picks_the_first_true_branch()
    {
        const string source = "{% if x == 1 %}one{% elif x == 2 %}two{% else %}many{% endif %}";
        Assert.Equal("two", Jinja.Render(source, new { x = 2 }));
        Assert.Equal("many", Jinja.Render(source, new { x = 9 }));
    }

    [Fact]
    public void Loop_variables_match_jinja2()
    {
        Assert.Equal(
            "1/0/3/2/True/False/3;2/1/2/1/False/False/3;3/2/1/0/False/True/3;",
            Jinja.Render("{% for x in xs %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }};{% endfor %}", new { xs = Abc }));
        Assert.Equal("[|b][a|c][b|]", Jinja.Render("{% for x in xs %}[{{ loop.previtem }}|{{ loop.nextitem }}]{% endfor %}", new { xs = Abc }));
        Assert.Equal("odd,even,odd", Jinja.Render("{% for x in xs %}{{ loop.cycle('odd', 'even') }}{% if not loop.last %},{% endif %}{% endfor %}", new { xs = Abc }));
    }

    [Fact]
    public void Tuple_unpacking_inline_filter_and_else()
    {
        var d = new Dictionary<string, object?> { ["b"] = 1, ["a"] = 2 };
        Assert.Equal("b=1;a=2;", Jinja.Render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", new { d }));
        Assert.Equal("2:1/2 4:2/2 ", Jinja.Render("{% for x in [1, 2, 3, 4] if x is even %}{{ x }}:{{ loop.index }}/{{ loop.length }} {% endfor %}"));
        Assert.Equal("empty", Jinja.Render("{% for x in [] %}{{ x }}{% else %}empty{% endfor %}"));
    }

    [Fact]
    public void Break_and_continue_come_from_the_loopcontrols_extension()
    {
        Assert.Equal("12|135", Jinja.Render("{% for x in range(1, 6) %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}|{% for x in range(1, 6) %}{% if x is even %}{% continue %}{% endif %}{{ x }}{% endfor %}"));
    }

    [Fact]
    public void For_else_runs_when_no_iteration_reached_the_end_of_the_body()
    {
        // jinja2 resets its "no iterations" flag at the end of the body, so continue/break skip the reset.
        Assert.Equal("else-ran|else-ran|", Jinja.Render("{% for i in [1] %}{% continue %}{% else %}else-ran{% endfor %}|{% for i in [1] %}{% break %}{% else %}else-ran{% endfor %}|{% for i in [1] %}{% else %}else-ran{% endfor %}"));
    }

    [Fact]
    public void Recursive_loops_call_loop_with_children()
    {
        var tree = new object?[]
        {
            new Dictionary<string, object?> { ["name"] = "a", ["children"] = new object?[] { new Dictionary<string, object?> { ["name"] = "b" } } },
            new Dictionary<string, object?> { ["name"] = "c" },
        };
        Assert.Equal("[a[b@2]@1][c@1]", Jinja.Render("{% for item in tree recursive %}[{{ item.name }}{% if item.children %}{{ loop(item.children) }}{% endif %}@{{ loop.depth }}]{% endfor %}", new { tree }));
    }

    [Fact]
    public void Assignments_in_a_loop_body_stay_in_that_iteration()
    {
        Assert.Equal("000102|0", Jinja.Render("{% set x = 0 %}{% for i in range(3) %}{{ x }}{% set x = i %}{{ x }}{% endfor %}|{{ x }}"));
        Assert.Equal("2", Jinja.Render("{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}"));
    }

    [Fact]
    public void Namespace_attributes_carry_values_out_of_loops()
    {
        Assert.Equal("2 True", Jinja.Render("{% set ns = namespace(count=0, found=false) %}{% for x in [1, 2, 3] %}{% if x > 1 %}{% set ns.count = ns.count + 1 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.count }} {{ ns.found }}"));
    }

    [Fact]
    public void A_loop_sees_a_name_assigned_later_at_top_level_as_undefined()
    {
        // jinja2 decides scoping at compile time: the later top-level set makes "a" a template local.
        Assert.Equal("[][2]", Jinja.Render("{% for i in [1] %}[{{ a }}]{% endfor %}{% set a = 2 %}[{{ a }}]", new { a = 1 }));
        Assert.Equal("[1][1]", Jinja.Render("[{{ a }}]{% for i in [1] %}[{{ a }}]{% endfor %}", new { a = 1 }));
        Assert.Equal("[][2]", Jinja.Render("{% macro show() %}[{{ a }}]{% endmacro %}{{ show() }}{% set a = 2 %}{{ show() }}", new { a = 1 }));
    }

    [Fact]
    public void Block_set_captures_output_and_can_filter_it()
    {
        Assert.Equal("[Hello World!\n]", Jinja.Render("{% set block %}Hello {{ name }}!\n{% endset %}[{{ block }}]", new { name = "World" }));
        Assert.Equal("QUIET 2", Jinja.Render("{% set shout | upper %}quiet {{ 1 + 1 }}{% endset %}{{ shout }}"));
    }

    [Fact]
    public void Macros_take_defaults_keywords_varargs_and_kwargs()
    {
        Assert.Equal("Hello, Ann! Hi, Bob! Yo, Cy!", Jinja.Render("{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', 'Hi') }} {{ greet(greeting='Yo', name='Cy') }}"));
        Assert.Equal("(1, 2){'k': 'v'}", Jinja.Render("{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, k='v') }}"));
        Assert.Equal("120", Jinja.Render("{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1) | int }}{% endif %}{% endmacro %}{{ fact(5) }}"));
    }

    [Fact]
    public void Call_blocks_filter_blocks_with_and_generation()
    {
        Assert.Equal("<[6]>", Jinja.Render("{% macro m(x) %}<{{ caller(x * 2) }}>{% endmacro %}{% call(v) m(3) %}[{{ v }}]{% endcall %}"));
        Assert.Equal("SHOUT|BONONO", Jinja.Render("{% filter upper %}shout{% endfilter %}|{% filter replace('a', 'o') | upper %}banana{% endfilter %}"));
        Assert.Equal("3[]", Jinja.Render("{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}]"));
        Assert.Equal("assistant text 1", Jinja.Render("{% generation %}assistant text {{ 1 }}{% endgeneration %}"));
    }
}
