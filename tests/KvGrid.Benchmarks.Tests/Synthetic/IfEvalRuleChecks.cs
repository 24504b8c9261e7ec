using System.Text.RegularExpressions;
using KvGrid.Benchmarks.Synthetic;

namespace KvGrid.Benchmarks.Tests.Synthetic;

/// <summary>
/// Test-side restatements of the IFEval (strict) checkers for the ids the generator uses, written from
/// google-research instruction_following_eval/instructions.py, so the generator's references are checked
/// by code independent of the generator.
/// </summary>
internal static class IfEvalRuleChecks
{
    public static bool Follows(SyntheticInstruction rule, string response) => rule.IfEvalId switch
    {
        // value.isupper() / value.islower() (language detection aside)
        "change_case:english_capital" => response.Any(char.IsLetter) && response == response.ToUpperInvariant(),
        "change_case:english_lowercase" => response.Any(char.IsLetter) && response == response.ToLowerInvariant(),
        "length_constraints:nth_paragraph_first_word" => FirstWordOfOnlyParagraph(response) == (string)rule.Kwargs["first_word"],
        "startend:end_checker" => response.Trim().Trim('"').ToLowerInvariant()
            .EndsWith(((string)rule.Kwargs["end_phrase"]).ToLowerInvariant(), StringComparison.Ordinal),
        "punctuation:no_comma" => !response.Contains(','),
        "startend:quotation" => response.Trim() is { Length: > 1 } t && t[0] == '"' && t[^1] == '"',
        "keywords:frequency" => Regex.Matches(response, Regex.Escape((string)rule.Kwargs["keyword"]), RegexOptions.IgnoreCase).Count
                                >= (int)rule.Kwargs["frequency"],
        "detectable_format:title" => Regex.Matches(response, "<<[^\\n]+>>")
            .Any(m => m.Value.TrimStart('<').TrimEnd('>').Trim().Length > 0),
        "detectable_content:postscript" => Regex.IsMatch(response.ToLowerInvariant(), @"\s*p\.\s?s\..*$", RegexOptions.Multiline),
        "keywords:existence" => ((string[])rule.Kwargs["keywords"])
            .All(k => Regex.IsMatch(response, Regex.Escape(k), RegexOptions.IgnoreCase)),
        _ => throw new InvalidOperationException("no check for " + rule.IfEvalId),
    };

    // ParagraphFirstWordCheck with num_paragraphs = nth_paragraph = 1.
    private static string? FirstWordOfOnlyParagraph(string response)
    {
        var paragraphs = response.Split("\n\n");
        if (paragraphs.Count(p => p.Trim().Length > 0) != 1)
        {
            return null;
        }

        var word = paragraphs[0].Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0].TrimStart('\'').TrimStart('"');
        var first = new string(word.TakeWhile(c => c is not ('.' or ',' or '?' or '!' or '\'' or '"')).ToArray());
        return first.ToLowerInvariant();
    }
}
