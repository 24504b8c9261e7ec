using System.Text.RegularExpressions;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Checkers;

/// <summary>detectable_content:number_placeholders — at least N non-greedy <c>\[.*?\]</c> matches.</summary>
public sealed class NumberPlaceholdersChecker(long numPlaceholders) : IInstructionChecker
{
    private static readonly Regex Placeholder = PyRegex.Compile(@"\[.*?\]");

    public long NumPlaceholders => numPlaceholders;
    public string InstructionId => "detectable_content:number_placeholders";

    public bool CheckFollowing(string response) => Placeholder.Matches(response).Count >= numPlaceholders;
}

/// <summary>
/// detectable_content:postscript — on the lowercased response, a line matching the marker's pattern:
/// "P.P.S" → <c>\s*p\.\s?p\.\s?s.*$</c>, "P.S." → <c>\s*p\.\s?s\..*$</c>, otherwise the lowercased
/// marker used as a regular expression (multiline).
/// </summary>
public sealed class PostscriptChecker : IInstructionChecker
{
    private readonly Regex _pattern;

    public PostscriptChecker(string postscriptMarker)
    {
        Marker = PyText.Strip(postscriptMarker);
        string pattern = Marker switch
        {
            "P.P.S" => @"\s*p\.\s?p\.\s?s.*$",
            "P.S." => @"\s*p\.\s?s\..*$",
            _ => @"\s*" + PyText.Lower(Marker) + ".*$",
        };
        try
        {
            _pattern = PyRegex.Compile(pattern, RegexOptions.Multiline);
        }
        catch (ArgumentException)
        {
            throw new InstructionArgumentException($"'postscript_marker': \"{Marker}\" is not a valid regular expression");
        }
    }

    public string Marker { get; }
    public string InstructionId => "detectable_content:postscript";

    public bool CheckFollowing(string response) => _pattern.IsMatch(PyText.Lower(response));
}
