using System.Text.RegularExpressions;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Checkers;

/// <summary>
/// detectable_format:number_bullet_lists — lines matching <c>^\s*\*[^\*].*$</c> plus lines matching
/// <c>^\s*-.*$</c> (multiline; <c>\s*</c> may span blank lines) must total exactly N.
/// </summary>
public sealed class NumberBulletListsChecker(long numBullets) : IInstructionChecker
{
    private static readonly Regex Star = PyRegex.Compile(@"^\s*\*[^\*].*$", RegexOptions.Multiline);
    private static readonly Regex Dash = PyRegex.Compile(@"^\s*-.*$", RegexOptions.Multiline);

    public long NumBullets => numBullets;
    public string InstructionId => "detectable_format:number_bullet_lists";

    public bool CheckFollowing(string response) =>
        Star.Matches(response).Count + Dash.Matches(response).Count == numBullets;
}

/// <summary>detectable_format:constrained_response — the stripped response contains one of the three answers.</summary>
public sealed class ConstrainedResponseChecker : IInstructionChecker
{
    private static readonly string[] Options = ["My answer is yes.", "My answer is no.", "My answer is maybe."];

    public string InstructionId => "detectable_format:constrained_response";

    public bool CheckFollowing(string response)
    {
        var value = PyText.Strip(response);
        return Options.Any(o => value.Contains(o, StringComparison.Ordinal));
    }
}

/// <summary>
/// detectable_format:number_highlighted_sections — the paper's fork counts non-blank <c>*..*</c> spans
/// plus non-blank <c>**..**</c> spans (upstream counts only the former); at least N.
/// </summary>
public sealed class NumberHighlightedSectionsChecker(long numHighlights) : IInstructionChecker
{
    private static readonly Regex Single = new(@"\*[^\n\*]*\*", RegexOptions.CultureInvariant);
    private static readonly Regex Double = new(@"\*\*[^\n\*]*\*\*", RegexOptions.CultureInvariant);

    public long NumHighlights => numHighlights;
    public string InstructionId => "detectable_format:number_highlighted_sections";

    public bool CheckFollowing(string response)
    {
        int count = 0;
        foreach (Match m in Single.Matches(response))
            if (PyText.Strip(m.Value.Trim('*')).Length != 0) count++;
        foreach (Match m in Double.Matches(response))
            if (PyText.Strip(PyText.RemoveSuffix(PyText.RemovePrefix(m.Value, "**"), "**")).Length != 0) count++;
        return count >= numHighlights;
    }
}

/// <summary>
/// detectable_format:multiple_sections — <c>re.split(r"\s?" + splitter + r"\s?\d+\s?", response)</c> yields
/// at least N + 1 pieces (the splitter is used as a regular expression, case-sensitive).
/// </summary>
public sealed class MultipleSectionsChecker : IInstructionChecker
{
    private readonly Regex _splitter;

    public MultipleSectionsChecker(string sectionSpliter, long numSections)
    {
        SectionSpliter = PyText.Strip(sectionSpliter);
        NumSections = numSections;
        try
        {
            _splitter = PyRegex.Compile(@"\s?" + SectionSpliter + @"\s?\d+\s?");
        }
        catch (ArgumentException)
        {
            throw new InstructionArgumentException($"'section_spliter': \"{SectionSpliter}\" is not a valid regular expression");
        }
    }

    public string SectionSpliter { get; }
    public long NumSections { get; }
    public string InstructionId => "detectable_format:multiple_sections";

    public bool CheckFollowing(string response) => _splitter.Matches(response).Count >= NumSections;
}

/// <summary>
/// detectable_format:json_format — strip, remove a leading ```json / ```Json / ```JSON / ``` and a
/// trailing ```, strip again, then Python's <c>json.loads</c> must accept it.
/// </summary>
public sealed class JsonFormatChecker : IInstructionChecker
{
    public string InstructionId => "detectable_format:json_format";

    public bool CheckFollowing(string response)
    {
        var value = PyText.Strip(response);
        value = PyText.RemovePrefix(value, "```json");
        value = PyText.RemovePrefix(value, "```Json");
        value = PyText.RemovePrefix(value, "```JSON");
        value = PyText.RemovePrefix(value, "```");
        value = PyText.RemoveSuffix(value, "```");
        return PyJson.IsValid(PyText.Strip(value));
    }
}

/// <summary>detectable_format:title — some <c>&lt;&lt;[^\n]+&gt;&gt;</c> match with non-blank text inside the brackets.</summary>
public sealed class TitleChecker : IInstructionChecker
{
    private static readonly Regex Title = new(@"<<[^\n]+>>", RegexOptions.CultureInvariant);

    public string InstructionId => "detectable_format:title";

    public bool CheckFollowing(string response)
    {
        foreach (Match m in Title.Matches(response))
            if (PyText.Strip(m.Value.TrimStart('<').TrimEnd('>')).Length != 0) return true;
        return false;
    }
}
