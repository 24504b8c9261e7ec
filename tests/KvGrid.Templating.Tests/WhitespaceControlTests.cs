namespace KvGrid.Templating.Tests;

/// <summary>trim_blocks, lstrip_blocks, "-" and "+" modifiers, comments, raw blocks, trailing newline.</summary>
public sealed class WhitespaceControlTests
{
    [Fact]
    public void Trim_blocks_removes_the_newline_after_a_block_tag_and_lstrip_removes_indentation()
    {
        Assert.Equal("a\n  b\nc", Jinja.Render("a\n  {% if true %}\n  b\n  {% endif %}\nc\n"));
    }

    [Fact]
    public void Plain_jinja2_defaults_keep_all_whitespace()
    {
        Assert.Equal("a\n  \n  b\n  \nc", Jinja.Render("a\n  {% if true %}\n  b\n  {% endif %}\nc\n", options: JinjaEnvironmentOptions.Default));
    }

    [Fact]
    public void Minus_strips_all_whitespace_including_newlines_on_its_side()
    {
        Assert.Equal("abc", Jinja.Render("a  {%- if true -%}  b  {%- endif -%}  c"));
        Assert.Equal("xyz\n\nw", Jinja.Render("x  {{- 'y' -}}  z\n\n{{ 'w' }}"));
    }

    [Fact]
    public void Plus_disables_lstrip_and_trim_blocks_for_that_tag()
    {
        Assert.Equal("  kept indent", Jinja.Render("  {%+ if true %}kept indent{% endif %}\n"));
        Assert.Equal("\nno trim", Jinja.Render("{% if true +%}\nno trim{% endif %}"));
    }

    [Fact]
    public void Variable_tags_are_not_lstripped()
    {
        Assert.Equal("  v\nblock", Jinja.Render("  {{ 'v' }}\n  {% if true %}block{% endif %}"));
    }

    [Fact]
    public void Comments_are_removed_and_trimmed_like_blocks()
    {
        Assert.Equal("line1\nline2", Jinja.Render("line1\n    {# comment #}\nline2\n"));
        Assert.Equal("xy", Jinja.Render("x{# multi\nline #}y"));
        Assert.Equal("ab", Jinja.Render("a {#- c -#} b"));
    }

    [Fact]
    public void Raw_blocks_output_their_body_verbatim()
    {
        Assert.Equal("{{ not rendered }} {% if %}", Jinja.Render("{% raw %}{{ not rendered }} {% if %}{% endraw %}"));
        Assert.Equal("<raw>", Jinja.Render("<{%- raw -%}  raw  {%- endraw -%}>"));
    }

    [Fact]
    public void One_trailing_newline_is_dropped_unless_kept()
    {
        Assert.Equal("two\n", Jinja.Render("two\n\n"));
        Assert.Equal("one\n", Jinja.Render("one\n", options: Jinja.Options with { KeepTrailingNewline = true }));
    }

    [Fact]
    public void Windows_and_old_mac_newlines_become_line_feeds()
    {
        Assert.Equal("a\nb\nc", Jinja.Render("a\r\nb\r{{ 'c' }}\n"));
    }

    [Fact]
    public void Loop_bodies_on_their_own_lines_render_without_blank_lines()
    {
        Assert.Equal("    - 1\n    - 2\n", Jinja.Render("{% for x in xs %}\n    - {{ x }}\n{% endfor %}\n", new { xs = new object?[] { 1, 2 } }));
    }
}
