using Xunit.Abstractions;

namespace KvGrid.Templating.Tests;

/// <summary>Renders every fixture input and requires exact agreement with Python jinja2 (see Fixtures/README.md).</summary>
public sealed class DifferentialTests
{
    private readonly ITestOutputHelper _output;

    public DifferentialTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> SnippetIds => new(DifferentialFixture.Snippets.Select(s => s.GetProperty("id").GetString()!));

    public static TheoryData<string> ChatCaseIds => new(DifferentialFixture.ChatCases.Select(s => s.GetProperty("id").GetString()!));

    [Theory]
    [MemberData(nameof(SnippetIds))]
    public void Snippet_matches_python_jinja2(string id)
    {
        var snippet = DifferentialFixture.Snippet(id);
        var source = snippet.GetProperty("template").GetString()!;
        var problem = DifferentialFixture.Disagreement(() => JinjaTemplate.Parse(source, id, DifferentialFixture.Options), snippet);
        Assert.True(problem is null, $"{id}: {source}\n  {problem}");
    }

    [Theory]
    [MemberData(nameof(ChatCaseIds))]
    public void Chat_template_render_matches_python_jinja2(string id)
    {
        var testCase = DifferentialFixture.ChatCase(id);
        var problem = DifferentialFixture.Disagreement(() => DifferentialFixture.ChatTemplate(testCase.GetProperty("template")), testCase);
        Assert.True(problem is null, $"{id}\n  {problem}");
    }

    [Fact]
    public void Fixture_covers_enough_inputs_and_all_four_real_templates()
    {
        Assert.True(DifferentialFixture.Snippets.Count() >= 100);
        var templates = DifferentialFixture.ChatCases.Select(c => c.GetProperty("template").GetRawText()).Distinct().Count();
        Assert.Equal(4, templates);
        var agree = DifferentialFixture.Snippets.Count(s => DifferentialFixture.Disagreement(() => JinjaTemplate.Parse(s.GetProperty("template").GetString()!, "s", DifferentialFixture.Options), s) is null)
            + DifferentialFixture.ChatCases.Count(c => DifferentialFixture.Disagreement(() => DifferentialFixture.ChatTemplate(c.GetProperty("template")), c) is null);
        var total = DifferentialFixture.Snippets.Count() + DifferentialFixture.ChatCases.Count();
        _output.WriteLine($"differential agreement: {agree} of {total}");
        Assert.Equal(total, agree);
    }
}
