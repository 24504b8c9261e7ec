using KvGrid.IfEval.Checkers;
using KvGrid.IfEval.Data;

namespace KvGrid.IfEval.Tests;

/// <summary>SysIfEvalDataset on the shared files and on broken copies written to a temp folder.</summary>
public sealed class DatasetLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kvgrid-ifeval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Shared_file_loads_with_every_checker_built()
    {
        var items = SysIfEvalDataset.Load(TestData.SysIfEval);
        Assert.Equal(File.ReadLines(TestData.SysIfEval).Count(l => l.Trim().Length > 0), items.Count);
        var first = items[0];
        Assert.Equal(1001, first.Key);
        Assert.Equal(["punctuation:no_comma"], first.InstructionIds);
        Assert.Equal("system", first.Messages[0].Role);
        Assert.Equal("user", first.Messages[1].Role);
        Assert.All(items, i => Assert.Equal(i.InstructionIds.Count, i.Checkers.Count));
        var ids = items.SelectMany(i => i.InstructionIds).ToHashSet();
        Assert.Equal(25, ids.Count);   // every registry id is used by the dataset
        Assert.True(ids.SetEquals(InstructionRegistry.InstructionIds));
    }

    [Fact]
    public void Shuffled_file_has_the_same_keys()
    {
        var a = SysIfEvalDataset.Load(TestData.SysIfEval).Select(i => i.Key).Order().ToList();
        var b = SysIfEvalDataset.Load(TestData.SysIfEvalShuffled).Select(i => i.Key).Distinct().Order().ToList();
        Assert.Equal(a.Distinct().Order(), b);
    }

    private string BrokenCopy(int lineIndex, Func<string, string> edit)
    {
        var lines = File.ReadAllLines(TestData.SysIfEval);
        lines[lineIndex] = edit(lines[lineIndex]);
        var path = Path.Combine(_dir, "broken.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Theory]
    [InlineData("not json", "broken.jsonl:3: invalid JSON")]
    [InlineData("[1, 2]", "broken.jsonl:3: expected a JSON object")]
    public void Malformed_line_names_file_and_line(string replacement, string expectedStart)
    {
        var path = BrokenCopy(2, _ => replacement);
        var e = Assert.Throws<IfEvalFormatException>(() => SysIfEvalDataset.Load(path));
        Assert.StartsWith(expectedStart, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Unknown_instruction_id_is_an_error()
    {
        var path = BrokenCopy(0, l => l.Replace("punctuation:no_comma", "punctuation:no_semicolon"));
        var e = Assert.Throws<IfEvalFormatException>(() => SysIfEvalDataset.Load(path));
        Assert.Equal("broken.jsonl:1: instruction_id_list[0]: unknown instruction id 'punctuation:no_semicolon'", e.Message);
    }

    [Fact]
    public void Ill_typed_kwarg_is_an_error()
    {
        // Line 2 is key 1005: number_placeholders with {"num_placeholders": 12}.
        var path = BrokenCopy(1, l => l.Replace("\"num_placeholders\": 12", "\"num_placeholders\": \"12\""));
        var e = Assert.Throws<IfEvalFormatException>(() => SysIfEvalDataset.Load(path));
        Assert.Equal("broken.jsonl:2: kwargs[0] (detectable_content:number_placeholders): 'num_placeholders' must be an integer", e.Message);
    }

    [Fact]
    public void Missing_field_and_count_mismatch_are_errors()
    {
        var missing = BrokenCopy(0, l => l.Replace("\"prompt\":", "\"prompt_text\":"));
        Assert.Equal("broken.jsonl:1: missing field 'prompt'", Assert.Throws<IfEvalFormatException>(() => SysIfEvalDataset.Load(missing)).Message);

        var mismatch = BrokenCopy(0, l => l.Replace("\"kwargs\": [{}]", "\"kwargs\": [{}, {}]"));
        Assert.Equal("broken.jsonl:1: 'kwargs' has 2 entries but 'instruction_id_list' has 1",
            Assert.Throws<IfEvalFormatException>(() => SysIfEvalDataset.Load(mismatch)).Message);
    }

    [Fact]
    public void Null_kwargs_are_not_set_and_unexpected_ones_are_errors()
    {
        // A null value is dropped (HF-style kwargs carry every key); a set key the checker does not take is refused.
        var withNull = BrokenCopy(0, l => l.Replace("\"kwargs\": [{}]", "\"kwargs\": [{\"num_words\": null}]"));
        Assert.NotEmpty(SysIfEvalDataset.Load(withNull));

        var unexpected = BrokenCopy(0, l => l.Replace("\"kwargs\": [{}]", "\"kwargs\": [{\"num_words\": 5}]"));
        Assert.Equal("broken.jsonl:1: kwargs[0] (punctuation:no_comma): unexpected argument 'num_words'",
            Assert.Throws<IfEvalFormatException>(() => SysIfEvalDataset.Load(unexpected)).Message);
    }

    [Fact]
    public void Missing_file_is_a_one_line_error()
    {
        var e = Assert.Throws<IfEvalFormatException>(() => SysIfEvalDataset.Load(Path.Combine(_dir, "nope.jsonl")));
        Assert.StartsWith("nope.jsonl: file not found", e.Message);
    }
}
