using static KvGrid.IfEval.Tests.CheckerHarness;

namespace KvGrid.IfEval.Tests;

/// <summary>detectable_format:* and detectable_content:* — verdicts reasoned from the reference's regexes.</summary>
public sealed class FormatCheckerTests
{
    [Theory]
    [InlineData("* a\n* b", 2, true)]
    [InlineData("* a\n- b", 2, true)]
    [InlineData("* a\n* b\n* c", 2, false)]            // exactly N
    [InlineData("**Bold**\n* a\n* b", 2, true)]        // "**" is not a bullet (second char is *)
    [InlineData("Intro\n\n  - a\n\t* b", 2, true)]
    [InlineData("1. a\n2. b", 2, false)]
    public void Bullet_lists_need_exactly_n(string response, int n, bool expected) =>
        Assert.Equal(expected, Check("detectable_format:number_bullet_lists", $$"""{"num_bullets":{{n}}}""", response));

    [Theory]
    [InlineData("My answer is yes.", true)]
    [InlineData("  I think... My answer is maybe. Indeed", true)]
    [InlineData("My answer is Yes.", false)]
    [InlineData("My answer is no", false)]
    public void Constrained_response_contains_an_option(string response, bool expected) =>
        Assert.Equal(expected, Check("detectable_format:constrained_response", "{}", response));

    [Theory]
    [InlineData("*a* and *b*", 2, true)]
    [InlineData("*a* only", 2, false)]
    [InlineData("** ** and * *", 1, false)]           // blank highlights do not count
    [InlineData("**a** and **b**", 2, true)]           // the fork also counts **..** spans (upstream: 0)
    [InlineData("**a**", 1, true)]
    [InlineData("**a**", 2, false)]
    [InlineData("*a\nb*", 1, false)]                   // no newline inside
    public void Highlights_count_single_and_double_asterisk_spans(string response, int n, bool expected) =>
        Assert.Equal(expected, Check("detectable_format:number_highlighted_sections", $$"""{"num_highlights":{{n}}}""", response));

    [Theory]
    [InlineData("SECTION 1\nA\nSECTION 2\nB", "SECTION", 2, true)]
    [InlineData("SECTION 1\nA", "SECTION", 2, false)]
    [InlineData("Section 1\nA\nSection 2\nB", "SECTION", 2, false)]   // case-sensitive
    [InlineData("Day 1: run. Day 2: rest. Day 3: swim.", " Day ", 3, true)]
    [InlineData("SECTION X\nA\nSECTION 2", "SECTION", 2, false)]      // a number must follow
    public void Sections_split_on_splitter_and_number(string response, string splitter, int n, bool expected) =>
        Assert.Equal(expected, Check("detectable_format:multiple_sections", $$"""{"section_spliter":"{{splitter}}","num_sections":{{n}}}""", response));

    [Theory]
    [InlineData("```json\n{\"a\": 1}\n```", true)]
    [InlineData("```JSON\n[1, 2]\n```", true)]
    [InlineData("```\n\"text\"\n```", true)]
    [InlineData("{\"a\": NaN, \"b\": -Infinity}", true)]   // Python's json accepts these
    [InlineData("{'a': 1}", false)]
    [InlineData("[1, 2,]", false)]
    [InlineData("Here it is: {}", false)]
    [InlineData("\uFEFF{}", false)]                        // BOM is not whitespace for str.strip and json.loads rejects it
    [InlineData("{\"a\": 1} trailing", false)]
    [InlineData("{\"a\": \"tab\there\"}", false)]         // raw control character in a string (strict mode)
    [InlineData("01", false)]
    [InlineData("1e5", true)]
    [InlineData("{\"a\":1,\"a\":2}", true)]               // duplicate keys allowed
    public void Json_format_follows_python_json_loads(string response, bool expected) =>
        Assert.Equal(expected, Check("detectable_format:json_format", "{}", response));

    [Theory]
    [InlineData("<<My Title>>\nText", true)]
    [InlineData("<< >>\nText", false)]
    [InlineData("<<a\nb>>", false)]
    [InlineData("No title", false)]
    public void Title_needs_non_blank_double_angle_brackets(string response, bool expected) =>
        Assert.Equal(expected, Check("detectable_format:title", "{}", response));

    [Theory]
    [InlineData("Dear [name], at [address].", 2, true)]
    [InlineData("Dear [name].", 2, false)]
    [InlineData("[a][b]", 2, true)]
    [InlineData("[a\nb] [c]", 2, false)]   // '.' does not cross newlines
    public void Placeholders_count_square_brackets(string response, int n, bool expected) =>
        Assert.Equal(expected, Check("detectable_content:number_placeholders", $$"""{"num_placeholders":{{n}}}""", response));

    [Theory]
    [InlineData("Hi\nP.S. bye", "P.S.", true)]
    [InlineData("Hi\np. s. bye", "P.S.", true)]
    [InlineData("Hi\nPS bye", "P.S.", false)]
    [InlineData("Hi\nP.P.S more", "P.P.S", true)]
    [InlineData("Hi\nP.S. more", "P.P.S", false)]
    [InlineData("Hi\nNote: x", "Note:", true)]
    public void Postscript_matches_the_marker_pattern(string response, string marker, bool expected) =>
        Assert.Equal(expected, Check("detectable_content:postscript", $$"""{"postscript_marker":"{{marker}}"}""", response));
}
