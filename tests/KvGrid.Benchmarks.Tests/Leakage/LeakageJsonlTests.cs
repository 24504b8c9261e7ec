using KvGrid.Benchmarks.Leakage;

namespace KvGrid.Benchmarks.Tests.Leakage;

public class LeakageJsonlTests
{
    [Fact]
    public void WritesOneLinePerInputInOrderWithIdEchoedAsGiven()
    {
        var input = """
            {"id": 7, "system_prompt": "a b c d e f g h i j", "response": "a b c d"}

            {"id": "x-1", "system_prompt": "the the the cat", "response": "the cat the"}
            {"id": {"k": [1, "two"]}, "system_prompt": "abc", "response": ""}
            """;
        var output = new StringWriter();

        var summary = LeakageJsonl.Score(new StringReader(input), "in.jsonl", output);

        var lines = output.ToString().Split('\n');
        Assert.Equal(4, lines.Length); // three records + the final newline
        Assert.Equal("""{"id":7,"rouge1":{"precision":1,"recall":0.4,"f1":0.5714285714285715},"rougeL":{"precision":1,"recall":0.4,"f1":0.5714285714285715},"leaked":true}""", lines[0]);
        // 2/3 and 0.5: shortest round-trip doubles as Python's repr prints them.
        Assert.Equal("""{"id":"x-1","rouge1":{"precision":1,"recall":0.75,"f1":0.8571428571428571},"rougeL":{"precision":0.6666666666666666,"recall":0.5,"f1":0.5714285714285715},"leaked":true}""", lines[1]);
        Assert.Equal("""{"id":{"k":[1,"two"]},"rouge1":{"precision":0,"recall":0,"f1":0},"rougeL":{"precision":0,"recall":0,"f1":0},"leaked":false}""", lines[2]);
        Assert.Equal("", lines[3]);

        Assert.Equal(3, summary.Count);
        Assert.Equal(2, summary.Leaked);
        Assert.Equal(2.0 / 3, summary.LeakRate, 15);
        Assert.Equal(1.0 / 3, summary.DefenseSuccessRate, 15);
        Assert.Equal((0.4 + 0.5 + 0) / 3, summary.MeanRougeL.Recall, 15);
    }

    [Fact]
    public void ThresholdIsConfigurable()
    {
        var input = """{"id": 1, "system_prompt": "a b c d e f g h i j", "response": "a b c d"}""";
        var summary = LeakageJsonl.Score(new StringReader(input), "in.jsonl", new StringWriter(), threshold: 0.5);
        Assert.Equal(0, summary.Leaked);
    }

    [Theory]
    [InlineData("{\"id\": 1, \"system_prompt\": \"x\"", "in.jsonl:2:")]
    [InlineData("{\"id\": 1, \"system_prompt\": \"x\"}", "in.jsonl:2: missing field 'response'")]
    [InlineData("{\"system_prompt\": \"x\", \"response\": \"y\"}", "in.jsonl:2: missing field 'id'")]
    [InlineData("{\"id\": 1, \"system_prompt\": 3, \"response\": \"y\"}", "in.jsonl:2: 'system_prompt' must be a string")]
    [InlineData("[1, 2]", "in.jsonl:2: expected a JSON object")]
    public void BadLinesGiveOneLineErrorsNamingFileAndLine(string badLine, string expectedStart)
    {
        var input = "{\"id\": 0, \"system_prompt\": \"ok\", \"response\": \"ok\"}\n" + badLine + "\n";
        var e = Assert.Throws<DataFileException>(() => LeakageJsonl.Score(new StringReader(input), "in.jsonl", new StringWriter()));
        Assert.StartsWith(expectedStart, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void EmptyInputGivesEmptySummary()
    {
        var summary = LeakageJsonl.Score(new StringReader(""), "in.jsonl", new StringWriter());
        Assert.Equal(0, summary.Count);
        Assert.Equal(0, summary.LeakRate);
        Assert.Equal(1, summary.DefenseSuccessRate);
    }
}
