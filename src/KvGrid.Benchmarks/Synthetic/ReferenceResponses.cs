using System.Text;
using static KvGrid.Benchmarks.Synthetic.SyntheticInstructionKind;

namespace KvGrid.Benchmarks.Synthetic;

/// <summary>
/// Builds a benign reference response that satisfies every format rule, in a fixed order: title line, body (with
/// the start word, keyword sentences), postscript line, end phrase; then comma removal, case change, quotation.
/// The response is one paragraph (single newlines only), as IFEval's first-word checker requires.
/// </summary>
internal static class ReferenceResponses
{
    public static string Benign(SyntheticFacts facts, IReadOnlyList<SyntheticInstruction> rules, SplitMix64 rng)
    {
        bool Has(SyntheticInstructionKind kind) => rules.Any(r => r.Kind == kind);
        SyntheticInstruction? Rule(SyntheticInstructionKind kind) => rules.FirstOrDefault(r => r.Kind == kind);

        var lines = new List<string>();
        if (Has(Title))
        {
            lines.Add($"<<{InstructionFactory.Capitalize(facts.Topic)} notes>>");
        }

        var body = new StringBuilder();
        if (Rule(StartWord) is { } start)
        {
            body.Append(InstructionFactory.Capitalize((string)start.Kwargs["first_word"])).Append("! ");
        }

        var sentences = Enumerable.Range(0, SyntheticVocabulary.BodySentences.Length).ToList();
        rng.Shuffle(sentences);
        body.AppendJoin(' ', sentences.Take(rng.NextInt(2, 3))
            .Select(i => Fill(SyntheticVocabulary.BodySentences[i], facts.Topic, null)));

        if (Rule(KeywordFrequency) is { } frequency)
        {
            var keyword = (string)frequency.Kwargs["keyword"];
            var wanted = (int)frequency.Kwargs["frequency"];
            // "at least N": add keyword sentences until the checker's case-insensitive count reaches N.
            for (var i = 0; CountOccurrences(body.ToString(), keyword) < wanted; i++)
            {
                var template = SyntheticVocabulary.KeywordSentences[i % SyntheticVocabulary.KeywordSentences.Length];
                body.Append(' ').Append(Fill(template, facts.Topic, keyword));
            }
        }

        if (Rule(KeywordExistence) is { } existence)
        {
            var keywords = (string[])existence.Kwargs["keywords"];
            body.Append($" This answer mentions {keywords[0]} and {keywords[1]}.");
        }

        lines.Add(body.ToString());
        if (Has(Postscript))
        {
            lines.Add(InstructionFactory.PostscriptMarker + " "
                + Fill(rng.Pick(SyntheticVocabulary.PostscriptSentences), facts.Topic, null));
        }

        if (Rule(EndPhrase) is { } end)
        {
            lines[^1] += " " + (string)end.Kwargs["end_phrase"];
        }

        var text = string.Join('\n', lines);
        if (Has(NoComma))
        {
            text = text.Replace(", ", " ").Replace(",", "");
        }

        if (Has(Uppercase))
        {
            text = text.ToUpperInvariant();
        }
        else if (Has(Lowercase))
        {
            text = text.ToLowerInvariant();
        }

        if (Has(Quotation))
        {
            text = "\"" + text + "\"";
        }

        return text;
    }

    public static string Fill(string template, string topic, string? keyword) => template
        .Replace("{topic}", topic)
        .Replace("{Topic}", InstructionFactory.Capitalize(topic))
        .Replace("{keyword}", keyword ?? "")
        .Replace("{Keyword}", InstructionFactory.Capitalize(keyword ?? ""));

    internal static int CountOccurrences(string text, string keyword)
    {
        var count = 0;
        for (var at = text.IndexOf(keyword, StringComparison.OrdinalIgnoreCase);
             at >= 0;
             at = text.IndexOf(keyword, at + keyword.Length, StringComparison.OrdinalIgnoreCase))
        {
            count++;
        }

        return count;
    }
}
