using System.Text.Json;
using KvGrid.Benchmarks.Leakage;

namespace KvGrid.Benchmarks.Tests.Leakage;

/// <summary>Agreement with rouge_score's own logic run over pairs built from the shared data (Fixtures/README.md).</summary>
public class RougeDifferentialTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void EveryPairAgreesWithRougeScore()
    {
        var cases = RougeFixture.Load();
        Assert.True(cases.Count >= 400, $"fixture too small: {cases.Count}");
        var disagreements = new List<string>();
        foreach (var c in cases)
        {
            var verdict = LeakageJudge.Judge(c.SystemPrompt, c.Response);
            Compare(c.Id, "rouge1", verdict.Rouge.Rouge1, c.Expected.GetProperty("rouge1"), disagreements);
            Compare(c.Id, "rougeL", verdict.Rouge.RougeL, c.Expected.GetProperty("rougeL"), disagreements);
            if (verdict.Leaked != c.Expected.GetProperty("leaked").GetBoolean())
            {
                disagreements.Add($"{c.Id} leaked");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("; ", disagreements.Take(20)));
    }

    [Fact]
    public void FixtureCoversLeaksAndNonLeaks()
    {
        var leaked = RougeFixture.Load().Count(c => c.Expected.GetProperty("leaked").GetBoolean());
        Assert.InRange(leaked, 50, 400);
    }

    [Fact]
    public void JsonlContractReproducesTheFixture()
    {
        var cases = RougeFixture.Load();
        var input = new StringWriter();
        foreach (var c in cases)
        {
            input.Write(JsonSerializer.Serialize(new { id = c.Id, system_prompt = c.SystemPrompt, response = c.Response }));
            input.Write('\n');
        }

        var output = new StringWriter();
        var summary = LeakageJsonl.Score(new StringReader(input.ToString()), "pairs.jsonl", output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Count, lines.Length);
        var disagreements = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var actual = JsonDocument.Parse(lines[i]).RootElement;
            Assert.Equal(cases[i].Id, actual.GetProperty("id").GetString());
            foreach (var kind in new[] { "rouge1", "rougeL" })
            {
                foreach (var field in new[] { "precision", "recall", "f1" })
                {
                    var expected = cases[i].Expected.GetProperty(kind).GetProperty(field).GetDouble();
                    var got = actual.GetProperty(kind).GetProperty(field).GetDouble();
                    if (Math.Abs(expected - got) > Tolerance)
                    {
                        disagreements.Add($"{cases[i].Id} {kind}.{field}: {expected} vs {got}");
                    }
                }
            }

            Assert.Equal(cases[i].Expected.GetProperty("leaked").GetBoolean(), actual.GetProperty("leaked").GetBoolean());
        }

        Assert.Empty(disagreements);
        var expectedLeaked = cases.Count(c => c.Expected.GetProperty("leaked").GetBoolean());
        Assert.Equal(expectedLeaked, summary.Leaked);
        Assert.Equal(cases.Count, summary.Count);
        Assert.Equal(1 - (double)expectedLeaked / cases.Count, summary.DefenseSuccessRate, 12);
        var meanRecall = cases.Average(c => c.Expected.GetProperty("rougeL").GetProperty("recall").GetDouble());
        Assert.Equal(meanRecall, summary.MeanRougeL.Recall, 9);
    }

    private static void Compare(string id, string kind, RougeScore actual, JsonElement expected, List<string> disagreements)
    {
        void One(string field, double value)
        {
            var want = expected.GetProperty(field).GetDouble();
            if (Math.Abs(want - value) > Tolerance)
            {
                disagreements.Add($"{id} {kind}.{field}: expected {want}, got {value}");
            }
        }

        One("precision", actual.Precision);
        One("recall", actual.Recall);
        One("f1", actual.F1);
    }
}
