using KvGrid.IfEval.Data;

namespace KvGrid.IfEval.Tests;

/// <summary>IfEvalJsonl.Score: output per input line in order, keys echoed, aggregates returned.</summary>
public sealed class JsonlScoringTests
{
    [Fact]
    public void Scores_lines_in_order_and_echoes_keys()
    {
        const string input = """
            {"key": 7, "prompt": "p", "instruction_id_list": ["punctuation:no_comma", "startend:quotation"], "kwargs": [{}, {}], "response": "Sure:\n\"no commas here\""}

            {"key": "abc", "prompt": "p", "instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"num_words": 3, "relation": "at least", "keywords": null}], "response": "one, two"}
            """;
        var output = new StringWriter();
        var agg = IfEvalJsonl.Score(new StringReader(input), "in.jsonl", output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(
        [
            """{"key":7,"strict":[true,false],"loose":[true,true]}""",
            """{"key":"abc","strict":[false],"loose":[false]}""",
        ], lines);
        Assert.Equal(2, agg.Prompts);
        Assert.Equal(0, agg.PromptLevel.Strict.Correct);
        Assert.Equal(1, agg.PromptLevel.Loose.Correct);
        Assert.Equal(1, agg.InstructionLevel.Strict.Correct);
        Assert.Equal(3, agg.InstructionLevel.Strict.Total);
        Assert.Equal(new Evaluation.AccuracyCount(1, 1), agg.ByInstructionId["startend:quotation"].Loose);
        Assert.Equal(new Evaluation.AccuracyCount(0, 1), agg.ByFamily["length_constraints"].Strict);
    }

    [Theory]
    [InlineData("""{"key": 1, "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}""", "r.jsonl:1: missing field 'response'")]
    [InlineData("""{"instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}], "response": "x"}""", "r.jsonl:1: missing field 'key'")]
    [InlineData("""{"key": 1, "instruction_id_list": ["x:y"], "kwargs": [{}], "response": "x"}""", "r.jsonl:1: instruction_id_list[0]: unknown instruction id 'x:y'")]
    [InlineData("""{"key": 1, "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}], "response": 5}""", "r.jsonl:1: 'response' must be a string")]
    public void Bad_lines_are_one_line_errors(string line, string message)
    {
        var e = Assert.Throws<IfEvalFormatException>(() => IfEvalJsonl.Score(new StringReader(line), "r.jsonl", TextWriter.Null));
        Assert.Equal(message, e.Message);
    }
}
