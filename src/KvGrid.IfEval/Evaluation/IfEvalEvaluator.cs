using KvGrid.IfEval.Checkers;
using KvGrid.IfEval.Text;

namespace KvGrid.IfEval.Evaluation;

/// <summary>Verdicts of one response: per instruction, strict and loose.</summary>
public sealed record PromptVerdict(IReadOnlyList<string> InstructionIds, IReadOnlyList<bool> Strict, IReadOnlyList<bool> Loose)
{
    public bool StrictAll => Strict.All(x => x);
    public bool LooseAll => Loose.All(x => x);
}

/// <summary>
/// The reference's test_instruction_following_strict / _loose (evaluate.py): strict passes when the
/// response is not blank and the checker accepts it; loose passes when any of eight variants is not
/// blank (after <c>str.strip()</c>) and accepted.
/// </summary>
public static class IfEvalEvaluator
{
    public static bool Strict(IInstructionChecker checker, string response) =>
        PyText.Strip(response).Length != 0 && checker.CheckFollowing(response);

    public static bool Loose(IInstructionChecker checker, string response)
    {
        foreach (var variant in LooseVariants(response))
            if (PyText.Strip(variant).Length != 0 && checker.CheckFollowing(variant)) return true;
        return false;
    }

    /// <summary>
    /// In the reference's order: the response; without asterisks; without its first line; without its
    /// last line; without both; and those three without asterisks. Lines are split on "\n" only and the
    /// trimmed variants are <c>str.strip()</c>ped.
    /// </summary>
    public static IReadOnlyList<string> LooseVariants(string response)
    {
        var lines = response.Split('\n');
        string removeFirst = PyText.Strip(string.Join("\n", lines.Skip(1)));
        string removeLast = PyText.Strip(string.Join("\n", lines.Take(lines.Length - 1)));
        string removeBoth = PyText.Strip(string.Join("\n", lines.Skip(1).Take(Math.Max(0, lines.Length - 2))));
        return
        [
            response,
            response.Replace("*", ""),
            removeFirst,
            removeLast,
            removeBoth,
            removeFirst.Replace("*", ""),
            removeLast.Replace("*", ""),
            removeBoth.Replace("*", ""),
        ];
    }

    public static PromptVerdict Evaluate(IReadOnlyList<IInstructionChecker> checkers, string response)
    {
        var ids = checkers.Select(c => c.InstructionId).ToArray();
        var strict = checkers.Select(c => Strict(c, response)).ToArray();
        var loose = checkers.Select(c => Loose(c, response)).ToArray();
        return new PromptVerdict(ids, strict, loose);
    }
}
