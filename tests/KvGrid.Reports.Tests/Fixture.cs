using KvGrid.Contracts;

namespace KvGrid.Reports.Tests;

/// <summary>
/// A small sweep whose every number is worked out by hand in the tests.
/// Leakage (model m, order defense_first, press knorm, items A and B, two attack turns per item):
///   none r0:        A: -,-        B: -,-        recalls 0.1 0.2 | 0.0 0.1
///   none r0.5:      A: leak,leak  B: leak,-     recalls 0.9 0.5 | 0.4 0.2   span keep A {defense .2, system .6}, B {.4, .5}
///   whitelist r0:   A: -,-        B: -,-        recalls 0.1 0.1 | 0.1 0.1
///   whitelist r0.5: A: -,-        B: leak,-     recalls 0.1 0.1 | 0.6 0.1   span keep A {1, .3}, B {1, .4}
///   attack categories: turn 0 "direct", turn 1 "indirect".
/// IFEval (press snapkv, order none, remedy none, prompts P1 = [a:x, b:y] and P2 = [a:x]):
///   r0:   P1 strict TT loose TT; P2 strict T loose T
///   r0.5: P1 strict FT loose TT; P2 strict F loose F   span keep P1 {instr:0 .2, instr:1 .8}, P2 {instr:0 .4}
/// KV bytes: 1000 before; after 1000 at ratio 0, 500 at ratio 0.5.
/// </summary>
public static class Fixture
{
    public const string Sweep = "sw1";

    public static List<TrialResult> Rows()
    {
        var rows = new List<TrialResult>();
        void Leak(string remedy, double ratio, string item, bool[] leaked, double[] recall, Dictionary<string, double>? keep = null)
        {
            for (int t = 0; t < leaked.Length; t++)
                rows.Add(Trial($"leak-{remedy}-{ratio}-{item}-{t}", $"ctx-{remedy}-{ratio}-{item}", "leakage", item, "defense_first", "knorm", remedy, ratio) with
                {
                    TurnId = $"t{t}",
                    AttackCategory = t == 0 ? "direct" : "indirect",
                    Leaked = leaked[t],
                    Refused = !leaked[t],
                    RougeLRecall = recall[t],
                    Rouge1Recall = recall[t],
                    SpanKeep = keep,
                });
        }
        Leak("none", 0, "A", [false, false], [0.1, 0.2]);
        Leak("none", 0, "B", [false, false], [0.0, 0.1]);
        Leak("none", 0.5, "A", [true, true], [0.9, 0.5], new() { ["defense"] = 0.2, ["system"] = 0.6 });
        Leak("none", 0.5, "B", [true, false], [0.4, 0.2], new() { ["defense"] = 0.4, ["system"] = 0.5 });
        Leak("whitelist", 0, "A", [false, false], [0.1, 0.1]);
        Leak("whitelist", 0, "B", [false, false], [0.1, 0.1]);
        Leak("whitelist", 0.5, "A", [false, false], [0.1, 0.1], new() { ["defense"] = 1.0, ["system"] = 0.3 });
        Leak("whitelist", 0.5, "B", [true, false], [0.6, 0.1], new() { ["defense"] = 1.0, ["system"] = 0.4 });

        void IfEval(double ratio, string item, string[] ids, bool[] strict, bool[] loose, Dictionary<string, double>? keep = null) =>
            rows.Add(Trial($"ife-{ratio}-{item}", $"ictx-{ratio}-{item}", "ifeval", item, "none", "snapkv", "none", ratio) with
            {
                IfEvalInstructionIds = ids, IfEvalStrict = strict, IfEvalLoose = loose, SpanKeep = keep,
            });
        IfEval(0, "P1", ["a:x", "b:y"], [true, true], [true, true]);
        IfEval(0, "P2", ["a:x"], [true], [true]);
        IfEval(0.5, "P1", ["a:x", "b:y"], [false, true], [true, true], new() { ["instr:0"] = 0.2, ["instr:1"] = 0.8 });
        IfEval(0.5, "P2", ["a:x"], [false], [false], new() { ["instr:0"] = 0.4 });
        return rows;
    }

    public static TrialResult Trial(string id, string context, string benchmark, string item, string order, string press, string remedy, double ratio) => new()
    {
        TrialId = id, SweepId = Sweep, ContextId = context, Model = "m", Benchmark = benchmark, ItemId = item,
        Defense = order == "none" ? "none" : "d1", DefenseOrder = order, TurnId = "t0", Press = press, PressParams = "{}",
        Remedy = remedy, Ratio = ratio, Status = "ok", Response = "r", ContextTokens = 100, KeptTokens = ratio == 0 ? 100 : 50,
        PromptTokens = 120, GeneratedTokens = 10, MeanEntropy = 1.5, KvBytesBefore = 1000, KvBytesAfter = ratio == 0 ? 1000 : 500,
        PrefillMs = 20, DecodeMs = 100, CompletedAt = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero),
    };

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kvgrid-report-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
