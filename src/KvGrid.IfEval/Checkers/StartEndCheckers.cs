using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Checkers;

/// <summary>startend:end_checker — the response, stripped, stripped of double quotes and lowercased, ends with the phrase.</summary>
public sealed class EndChecker(string endPhrase) : IInstructionChecker
{
    public string EndPhrase { get; } = PyText.Strip(endPhrase);
    public string InstructionId => "startend:end_checker";

    public bool CheckFollowing(string response)
    {
        var value = PyText.Lower(PyText.StripChars(PyText.Strip(response), "\""));
        return value.EndsWith(PyText.Lower(PyText.Strip(EndPhrase)), StringComparison.Ordinal);
    }
}

/// <summary>startend:quotation — the stripped response has more than one code point and starts and ends with '"'.</summary>
public sealed class QuotationChecker : IInstructionChecker
{
    public string InstructionId => "startend:quotation";

    public bool CheckFollowing(string response)
    {
        var value = PyText.Strip(response);
        return PyText.CodePointLength(value) > 1 && value[0] == '"' && value[^1] == '"';
    }
}

/// <summary>combination:repeat_prompt — the stripped, lowercased response starts with the stripped, lowercased prompt.</summary>
public sealed class RepeatPromptChecker(string promptToRepeat) : IInstructionChecker
{
    public string PromptToRepeat { get; } = promptToRepeat;
    public string InstructionId => "combination:repeat_prompt";

    public bool CheckFollowing(string response) =>
        PyText.Lower(PyText.Strip(response)).StartsWith(PyText.Lower(PyText.Strip(PromptToRepeat)), StringComparison.Ordinal);
}

/// <summary>
/// combination:two_responses — split on "******": blank pieces allowed only first or last, exactly two
/// non-blank pieces that differ after stripping.
/// </summary>
public sealed class TwoResponsesChecker : IInstructionChecker
{
    public string InstructionId => "combination:two_responses";

    public bool CheckFollowing(string response)
    {
        var valid = new List<string>();
        var pieces = response.Split("******");
        for (int i = 0; i < pieces.Length; i++)
        {
            if (PyText.Strip(pieces[i]).Length == 0)
            {
                if (i != 0 && i != pieces.Length - 1) return false;
            }
            else valid.Add(pieces[i]);
        }
        return valid.Count == 2 && PyText.Strip(valid[0]) != PyText.Strip(valid[1]);
    }
}

/// <summary>punctuation:no_comma — no ASCII comma.</summary>
public sealed class NoCommaChecker : IInstructionChecker
{
    public string InstructionId => "punctuation:no_comma";

    public bool CheckFollowing(string response) => !response.Contains(',');
}
