using KvGrid.IfEval.Nlp;

namespace KvGrid.Sweeps.Expansion;

/// <summary>
/// Splits a system prompt into instruction spans: one per sentence, as NLTK's English Punkt tokenizer (the one
/// IFEval counts sentences with) splits it. sys_ifeval system prompts are IFEval task sentences; a line break
/// alone does not split, so an instruction keeps its example lines ("Use the markdown bullet points such as:\n*
/// This is an example bullet.") while the next sentence after the example starts a new span. Spans exclude the
/// whitespace between sentences.
/// </summary>
public static class InstructionSplitter
{
    /// <summary>Character ranges (start, length) of the sentences of <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<(int Start, int Length)> Split(string text)
    {
        var spans = new List<(int Start, int Length)>();
        var cursor = 0;
        foreach (var sentence in PunktSentenceTokenizer.English.Tokenize(text))
        {
            var trimmed = sentence.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            var at = text.IndexOf(trimmed, cursor, StringComparison.Ordinal);
            if (at < 0)
            {
                // Punkt returns slices of the text, so this cannot happen; keep the rest as one span rather than guess.
                spans.Add((cursor, text.Length - cursor));
                return spans;
            }

            spans.Add((at, trimmed.Length));
            cursor = at + trimmed.Length;
        }

        if (spans.Count == 0 && text.Trim().Length > 0)
        {
            var start = text.Length - text.TrimStart().Length;
            spans.Add((start, text.Trim().Length));
        }

        return spans;
    }
}
