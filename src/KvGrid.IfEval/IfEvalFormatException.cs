namespace KvGrid.IfEval;

/// <summary>Malformed IFEval input; the message is one line naming the file and line, e.g.
/// <c>sys_ifeval.jsonl:17: kwargs[2]: 'num_words' must be an integer</c>.</summary>
public sealed class IfEvalFormatException(string message) : KvGridException(message);
