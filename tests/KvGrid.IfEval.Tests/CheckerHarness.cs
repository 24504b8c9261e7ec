using System.Text.Json;
using KvGrid.IfEval.Checkers;
using KvGrid.IfEval.Evaluation;

namespace KvGrid.IfEval.Tests;

/// <summary>Builds a checker from an id and a kwargs JSON object and evaluates it like the reference.</summary>
internal static class CheckerHarness
{
    public static IInstructionChecker Build(string id, string kwargsJson = "{}")
    {
        using var doc = JsonDocument.Parse(kwargsJson);
        var kwargs = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        return InstructionRegistry.Create(id, kwargs);
    }

    public static bool Check(string id, string kwargsJson, string response) => Build(id, kwargsJson).CheckFollowing(response);

    public static bool Strict(string id, string kwargsJson, string response) => IfEvalEvaluator.Strict(Build(id, kwargsJson), response);

    public static bool Loose(string id, string kwargsJson, string response) => IfEvalEvaluator.Loose(Build(id, kwargsJson), response);
}
