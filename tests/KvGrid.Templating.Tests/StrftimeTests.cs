namespace KvGrid.Templating.Tests;

/// <summary>strftime_now reads the injectable clock and formats with Python's strftime codes.</summary>
public sealed class StrftimeTests
{
    [Fact]
    public void Formats_the_injected_clock()
    {
        Assert.Equal(
            "2024-07-26 13:05:09|26 Jul 2024|Friday July 26 01PM 208 24",
            Jinja.Render("{{ strftime_now('%Y-%m-%d %H:%M:%S') }}|{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%A %B %-d %I%p %j %y') }}"));
    }

    [Fact]
    public void Uses_the_local_date_fields_of_the_clock_value()
    {
        var options = JinjaEnvironmentOptions.HuggingFace with { Clock = () => new DateTimeOffset(2025, 1, 2, 23, 30, 0, TimeSpan.FromHours(-5)) };
        Assert.Equal("02 Jan 2025 23:30", JinjaTemplate.Parse("{{ strftime_now('%d %b %Y %H:%M') }}", null, options).Render(new Dictionary<string, object?>()));
    }
}
