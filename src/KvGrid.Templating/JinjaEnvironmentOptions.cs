namespace KvGrid.Templating;

/// <summary>
/// Environment settings that change how a template is lexed and rendered.
/// <see cref="HuggingFace"/> mirrors transformers' <c>_compile_jinja_template</c>:
/// <c>ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)</c>, trailing newline dropped.
/// </summary>
public sealed record JinjaEnvironmentOptions
{
    /// <summary>Remove the first newline after a block tag (<c>%}</c> / <c>#}</c>).</summary>
    public bool TrimBlocks { get; init; }

    /// <summary>Strip spaces and tabs from the start of a line up to a block tag or comment.</summary>
    public bool LstripBlocks { get; init; }

    /// <summary>Keep a single trailing newline of the template source (jinja2 drops it by default).</summary>
    public bool KeepTrailingNewline { get; init; }

    /// <summary>Clock behind the <c>strftime_now</c> global; the value's local date/time fields are formatted (as Python's naive <c>datetime.now()</c>).</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.Now;

    /// <summary>Plain jinja2 defaults (no trimming).</summary>
    public static JinjaEnvironmentOptions Default { get; } = new();

    /// <summary>The environment HuggingFace transformers renders chat templates with.</summary>
    public static JinjaEnvironmentOptions HuggingFace { get; } = new() { TrimBlocks = true, LstripBlocks = true };
}
