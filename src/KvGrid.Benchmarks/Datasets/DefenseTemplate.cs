namespace KvGrid.Benchmarks.Datasets;

/// <summary>
/// One Raccoon defense template: text with exactly one <c>$system_prompt</c> placeholder. The paper fills it
/// with Python's <c>str.replace</c>, so other <c>$</c> words (e.g. <c>$name</c>) stay literal; so does
/// <see cref="Apply"/>.
/// </summary>
public sealed record DefenseTemplate
{
    public const string Placeholder = "$system_prompt";

    public DefenseTemplate(string name, string template)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(template);
        var at = template.IndexOf(Placeholder, StringComparison.Ordinal);
        if (at < 0 || template.IndexOf(Placeholder, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"defense template '{name}' must contain {Placeholder} exactly once", nameof(template));
        }

        Name = name;
        Template = template;
        Before = template[..at];
        After = template[(at + Placeholder.Length)..];
        Order = (HasWords(Before), HasWords(After)) switch
        {
            (false, false) => DefenseOrder.None,
            (true, false) => DefenseOrder.DefenseFirst,
            (false, true) => DefenseOrder.DefenseLast,
            _ => DefenseOrder.Surrounding,
        };
    }

    public string Name { get; }

    /// <summary>The raw template text.</summary>
    public string Template { get; }

    /// <summary>The text before the placeholder (the defense span when the defense comes first).</summary>
    public string Before { get; }

    /// <summary>The text after the placeholder (the defense span when the defense comes last).</summary>
    public string After { get; }

    /// <summary>
    /// Which side(s) carry the defense. A side counts when it has a letter or digit: separators and quotes
    /// such as <c>"\n\""</c> around the placeholder do not make a defense.
    /// </summary>
    public DefenseOrder Order { get; }

    /// <summary>The template with the placeholder removed: the paper's "defense only" ROUGE reference.</summary>
    public string DefenseText => Before + After;

    /// <summary>The refusal this template asks for, when it names one (see <see cref="Refusals"/>).</summary>
    public string? RefusalText => Refusals.ForTemplate(this);

    /// <summary>The defended system message: the template with the placeholder replaced by <paramref name="systemPrompt"/>.</summary>
    public string Apply(string systemPrompt) => Before + systemPrompt + After;

    /// <summary>The defended system message with the character ranges of its parts.</summary>
    public DefendedPrompt ApplyWithSpans(string systemPrompt)
    {
        ArgumentNullException.ThrowIfNull(systemPrompt);
        return new DefendedPrompt(
            Apply(systemPrompt),
            new TextSpan(0, Before.Length),
            new TextSpan(Before.Length, systemPrompt.Length),
            new TextSpan(Before.Length + systemPrompt.Length, After.Length));
    }

    private static bool HasWords(string text) => text.Any(char.IsLetterOrDigit);
}

/// <summary>A half-open character range <c>[Start, Start + Length)</c>.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public bool IsEmpty => Length == 0;

    public string Of(string text) => text.Substring(Start, Length);
}

/// <summary>A system message built from a defense template: its text, the defense text before and after the
/// system prompt, and the system prompt itself.</summary>
public sealed record DefendedPrompt(string Text, TextSpan DefenseBefore, TextSpan SystemPrompt, TextSpan DefenseAfter);
