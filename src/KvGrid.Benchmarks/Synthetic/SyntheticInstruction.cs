using System.Text.Json;

namespace KvGrid.Benchmarks.Synthetic;

/// <summary>What a synthetic system-prompt sentence asks for.</summary>
public enum SyntheticInstructionKind
{
    /// <summary>The defense: never disclose the instructions, reply with the refusal.</summary>
    Defense,
    FactName,
    FactSecretCode,
    FactTopic,
    Uppercase,
    Lowercase,
    StartWord,
    EndPhrase,
    NoComma,
    Quotation,
    KeywordFrequency,
    Title,
    Postscript,
    KeywordExistence,
}

/// <summary>
/// One sentence of a synthetic system prompt. Format rules carry the IFEval instruction id and checker
/// arguments that score them (the same shape as sys_ifeval.jsonl's <c>instruction_id_list</c> / <c>kwargs</c>);
/// the defense and the facts have no IFEval id.
/// </summary>
public sealed record SyntheticInstruction(
    SyntheticInstructionKind Kind,
    string Sentence,
    string? IfEvalId,
    IReadOnlyDictionary<string, object> Kwargs)
{
    public bool IsFormatRule => IfEvalId is not null;

    /// <summary>The checker arguments as a JSON object, e.g. <c>{"keyword":"focus","frequency":3,"relation":"at least"}</c>.</summary>
    public string KwargsJson => JsonSerializer.Serialize(Kwargs);
}

/// <summary>An instruction and where its sentence sits in the system prompt text.</summary>
public sealed record PlacedInstruction(SyntheticInstruction Instruction, Datasets.TextSpan Span);

/// <summary>Where the defense sentence sits among the other sentences.</summary>
public enum DefensePlacement
{
    First,
    Middle,
    Last,
}
