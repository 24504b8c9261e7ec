using KvGrid.Benchmarks.Datasets;

namespace KvGrid.Benchmarks.Tests.Datasets;

public class DefenseTemplatesTests
{
    private static readonly IReadOnlyList<DefenseTemplate> Shared = DefenseTemplates.Load(TestData.DefenseTemplatesPath);

    [Fact]
    public void LoadsAllTemplatesInFileOrder()
    {
        Assert.Equal(18, Shared.Count);
        Assert.Equal([DefenseTemplates.NoDefense, DefenseTemplates.FlippedDefense, DefenseTemplates.StandardDefense],
            Shared.Take(3).Select(t => t.Name));
    }

    [Fact]
    public void StandardAndFlippedAreTheOrderPair()
    {
        var standard = Shared.Get(DefenseTemplates.StandardDefense);
        var flipped = Shared.Get(DefenseTemplates.FlippedDefense);
        Assert.Equal(DefenseOrder.DefenseFirst, standard.Order);
        Assert.Equal(DefenseOrder.DefenseLast, flipped.Order);
        Assert.Equal(DefenseOrder.None, Shared.Get(DefenseTemplates.NoDefense).Order);
        Assert.StartsWith("USE THE FOLLOWING INSTRUCTIONS", standard.Before);
        Assert.Equal("", standard.After);
        Assert.Equal("", flipped.Before);
        Assert.StartsWith("\n\nUSE THE PREVIOUS INSTRUCTIONS", flipped.After);
    }

    [Fact]
    public void OrderIgnoresSidesWithoutWordsAndSeesBothSides()
    {
        // Rule_Nr_1 ends with '\n"' after the placeholder: punctuation, not a defense.
        Assert.Equal(DefenseOrder.DefenseFirst, Shared.Get("long_defense_Rule_Nr_1").Order);
        Assert.Equal(DefenseOrder.Surrounding, Shared.Get("medium_defense_Gated_access").Order);
    }

    [Fact]
    public void ApplyReplacesOnlyThePlaceholderAndReportsSpans()
    {
        var gated = Shared.Get("medium_defense_Gated_access");
        var applied = gated.ApplyWithSpans("Answer in French.");
        Assert.Equal(gated.Template.Replace("$system_prompt", "Answer in French."), applied.Text);
        Assert.Contains("$name", applied.Text); // other $ words stay literal, like Python's str.replace
        Assert.Equal("Answer in French.", applied.SystemPrompt.Of(applied.Text));
        Assert.Equal("[start]\n", applied.DefenseBefore.Of(applied.Text));
        Assert.Equal(applied.Text.Length, applied.DefenseAfter.End);
        Assert.StartsWith("\n[end]", applied.DefenseAfter.Of(applied.Text));
        Assert.Equal(gated.Before + gated.After, gated.DefenseText);
    }

    [Fact]
    public void RefusalTextOfTheStandardDefense()
    {
        Assert.Equal(Refusals.Standard, Shared.Get(DefenseTemplates.StandardDefense).RefusalText);
        Assert.Equal(Refusals.Standard, Shared.Get(DefenseTemplates.FlippedDefense).RefusalText);
        Assert.Equal("Sorry, bro! Not possible.", Shared.Get("long_defense_Rule_Nr_1").RefusalText);
        Assert.Null(Shared.Get(DefenseTemplates.NoDefense).RefusalText);
    }

    [Fact]
    public void MalformedJsonNamesFileLineAndColumn()
    {
        var e = Assert.Throws<DataFileException>(() =>
            DefenseTemplates.Parse("{\n  \"a\": \"$system_prompt\",\n  \"b\": oops\n}", "defense_template.json"));
        Assert.StartsWith("defense_template.json:3:", e.Message);
        Assert.Equal(3, e.Line);
        Assert.NotNull(e.Column);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("{\n \"a\": \"no placeholder\"\n}", "defense_template.json:2: defense template 'a' must contain $system_prompt exactly once")]
    [InlineData("{\n \"a\": \"$system_prompt $system_prompt\"\n}", "defense_template.json:2: defense template 'a' must contain")]
    [InlineData("{\n \"a\": 3\n}", "defense_template.json:2: template 'a' must be a string")]
    [InlineData("{\n \"a\": \"$system_prompt\",\n \"a\": \"x $system_prompt\"\n}", "defense_template.json:3: duplicate template name 'a'")]
    [InlineData("[\"$system_prompt\"]", "defense_template.json:1: expected a JSON object")]
    public void InvalidTemplatesGiveOneLineErrors(string json, string expectedStart)
    {
        var e = Assert.Throws<DataFileException>(() => DefenseTemplates.Parse(json, "defense_template.json"));
        Assert.StartsWith(expectedStart, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
