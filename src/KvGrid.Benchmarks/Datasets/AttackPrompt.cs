namespace KvGrid.Benchmarks.Datasets;

/// <summary>
/// One Raccoon attack prompt, sent as the user turn.
/// </summary>
/// <param name="Set">The attack set folder: <c>singular_attacks</c>, <c>compound_attacks</c>,
/// <c>singular_attacks_deflesstop5</c> (see <see cref="RaccoonAttacks"/>).</param>
/// <param name="Category">The category folder, e.g. <c>Plain</c> or <c>Prefix Injection + Payload Splitting</c>.</param>
/// <param name="PromptNumber">N of the <c>promptN</c> file.</param>
/// <param name="Text">The prompt with surrounding whitespace removed, as the paper's loader reads it
/// (<c>f.read().strip()</c>).</param>
/// <param name="SourcePath">The file the prompt was read from.</param>
public sealed record AttackPrompt(string Set, string Category, int PromptNumber, string Text, string SourcePath)
{
    /// <summary>The attacks a compound category combines (<c>"a + b"</c>); a singular category is its own component.</summary>
    public IReadOnlyList<string> Components =>
        Category.Split(" + ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A stable identifier: <c>set/category/promptN</c>.</summary>
    public string Id => $"{Set}/{Category}/prompt{PromptNumber}";
}
