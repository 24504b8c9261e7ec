using KvGrid.Benchmarks.Datasets;

namespace KvGrid.Benchmarks.Synthetic;

/// <summary>
/// A synthetic system prompt: its sentences joined by single spaces, with the character span of each
/// instruction (spans exclude the separating spaces), so code can locate each instruction's tokens.
/// </summary>
public sealed record SyntheticSystemPrompt(string Text, IReadOnlyList<PlacedInstruction> Instructions)
{
    public const string Separator = " ";

    public static SyntheticSystemPrompt Join(IEnumerable<SyntheticInstruction> instructions)
    {
        var placed = new List<PlacedInstruction>();
        var text = new System.Text.StringBuilder();
        foreach (var instruction in instructions)
        {
            if (text.Length > 0)
            {
                text.Append(Separator);
            }

            placed.Add(new PlacedInstruction(instruction, new TextSpan(text.Length, instruction.Sentence.Length)));
            text.Append(instruction.Sentence);
        }

        return new SyntheticSystemPrompt(text.ToString(), placed);
    }

    /// <summary>The span of the defense sentence, if this prompt has one.</summary>
    public TextSpan? DefenseSpan =>
        Instructions.FirstOrDefault(p => p.Instruction.Kind == SyntheticInstructionKind.Defense)?.Span;

    /// <summary>The format rules, in prompt order: what IFEval checks.</summary>
    public IReadOnlyList<SyntheticInstruction> FormatRules =>
        Instructions.Select(p => p.Instruction).Where(i => i.IsFormatRule).ToList();

    /// <summary>IFEval ids of the format rules, as sys_ifeval's <c>instruction_id_list</c>.</summary>
    public IReadOnlyList<string> InstructionIdList => FormatRules.Select(i => i.IfEvalId!).ToList();
}
