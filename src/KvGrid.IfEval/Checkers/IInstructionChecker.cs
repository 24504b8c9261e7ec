namespace KvGrid.IfEval.Checkers;

/// <summary>One IFEval instruction with its arguments bound (the reference's Instruction after build_description).</summary>
public interface IInstructionChecker
{
    /// <summary>The registry id, e.g. <c>punctuation:no_comma</c>.</summary>
    string InstructionId { get; }

    /// <summary>The reference's <c>check_following(value)</c>.</summary>
    bool CheckFollowing(string response);
}
