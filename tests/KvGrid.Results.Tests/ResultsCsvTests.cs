using KvGrid.Contracts;
using System.Text.Json;
using KvGrid.TestSupport;

namespace KvGrid.Results.Tests;

public sealed class ResultsCsvTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    static async IAsyncEnumerable<TrialResult> Async(IEnumerable<TrialResult> rows)
    {
        foreach (var r in rows) yield return r;
        await Task.CompletedTask;
    }

    async Task<string> WriteFile(IEnumerable<TrialResult> rows, string name = "out.csv")
    {
        var path = _dir[name];
        await ResultsCsv.WriteAsync(Async(rows), path);
        return path;
    }

    /// <summary>Texts that each break a naive CSV or JSON layer.</summary>
    static TrialResult Awkward(string id) => SampleTrials.IfEval(id) with
    {
        Response = "  padded  \r\nCRLF, then a lone\rCR, a tab\t, a \"quote\", and 𝄞 outside the BMP  ",
        Error = "\"",
        AttackCategory = "NULL",
        Silo = ",",
        Device = "\n",
        Ratio = -0.0,
        MeanEntropy = double.NegativeInfinity,
        PrefillMs = double.PositiveInfinity,
        Rouge1Precision = double.NaN,
        Repetition = int.MinValue,
        KvBytesAfter = long.MinValue,
        IfEvalInstructionIds = ["a,b", "\"q\"", "ünï"],
        SpanKeep = new Dictionary<string, double> { ["\"label\", with comma"] = double.NaN, ["x"] = 1e-320 },
        CompletedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(-570)).AddTicks(7),
    };

    [Fact]
    public async Task Writing_and_reading_back_is_lossless_for_every_field()
    {
        var rows = SampleTrials.Mixed().Append(Awkward("trial-4")).ToList();
        var back = ResultsCsv.Read(await WriteFile(rows));
        TrialAssert.Equal(rows, back);
        // Beyond instant equality: the offset and the last tick survive too.
        for (int i = 0; i < rows.Count; i++) Assert.True(rows[i].CompletedAt.EqualsExact(back[i].CompletedAt));
        Assert.True(double.IsNegative(back[3].Ratio)); // -0.0 stays negative zero
    }

    [Fact]
    public async Task The_header_names_the_columns_and_cells_follow_the_documented_forms()
    {
        var lines = (await File.ReadAllTextAsync(await WriteFile([SampleTrials.Sparse("s"), SampleTrials.IfEval("i")]))).Split("\r\n");
        Assert.Equal(
            "trial_id,sweep_id,context_id,model,benchmark,item_id,defense,defense_order,attack_category,turn_id,press,press_params,remedy,ratio,"
            + "repetition,status,error,response,context_tokens,kept_tokens,prompt_tokens,generated_tokens,mean_entropy,kv_bytes_before,kv_bytes_after,"
            + "ifeval_instruction_ids,ifeval_strict,ifeval_loose,rouge1_precision,rouge1_recall,rouge1_f1,rougel_precision,rougel_recall,rougel_f1,"
            + "leaked,refused,span_keep,prefill_ms,decode_ms,silo,device,completed_at,dtype", lines[0]);
        // Null is an empty unquoted field, "" a quoted empty one; lists are JSON; the instant keeps its offset.
        Assert.Equal(
            "s,sweep-a,ctx-3,m,ifeval,\"\",\"\",\"\",,\"\",none,\"\",\"\",0,0,failed,\"\",\"\",0,0,0,0,0,0,0,[],[],[],,,,,,,,,{},0,0,,,1970-01-01T00:00:00.0000000+00:00,",
            lines[1]);
        // The IFEval row: quotes doubled, the response's line break kept inside its quoted field.
        Assert.Equal(
            "i,sweep-a,ctx-1,Qwen/Qwen2.5-0.5B-Instruct,ifeval,1001,none,system-first,direct,t0,snapkv,\"{\"\"window_size\"\":64}\",whitelist,0.1,2,ok,,"
            + "\"Sure, here are \"\"three\"\" points:\n1, 2, 3\",2147483647,1843,2048,256,0.3333333333333333,9223372036854775807,-1,"
            + "\"[\"\"punctuation:no_comma\"\",\"\"length_constraints:number_words\"\"]\",\"[true,false]\",\"[true,true]\",,,,,,,,false,"
            + "\"{\"\"system\"\":0.25,\"\"user\"\":1,\"\"défense\"\":0.6666666666666666}\",12.5,1E-300,silo-0,cuda:1,2026-11-28T23:59:58.1234560+02:00,bfloat16",
            lines[2]);
        Assert.Equal("", lines[3]);
        Assert.Equal(4, lines.Length);
    }

    [SkippableFact]
    public async Task Pythons_csv_module_reads_the_same_fields()
    {
        var python = ExternalTools.RequirePythonWith("csv");
        var rows = SampleTrials.Mixed().Append(Awkward("trial-4")).ToList();
        var path = await WriteFile(rows);
        const string script = "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8') as f:\n    print(json.dumps(list(csv.reader(f))))\n";
        var scriptPath = _dir["read.py"];
        await File.WriteAllTextAsync(scriptPath, script);
        Assert.Equal(0, ExternalTools.Run(python, $"\"{scriptPath}\" \"{path}\"", null, out var output));
        var parsed = JsonSerializer.Deserialize<string[][]>(output)!;
        Assert.Equal(rows.Count + 1, parsed.Length);
        Assert.Equal(Storage.TrialColumns.All.Select(c => c.Name), parsed[0]);
        // Python has no null: a NULL cell reads as "". Every other field must be exactly the cell's text.
        for (int i = 0; i < rows.Count; i++)
            Assert.Equal(Storage.TrialColumns.All.Select(c => CsvCells.Format(c.Get(rows[i])) ?? ""), parsed[i + 1]);
        Assert.Equal("  padded  \r\nCRLF, then a lone\rCR, a tab\t, a \"quote\", and 𝄞 outside the BMP  ", parsed[4][17]);
    }

    [SkippableFact]
    public async Task Records_written_by_pythons_csv_module_are_read_field_for_field()
    {
        var python = ExternalTools.RequirePythonWith("csv");
        string[][] records = [["a", "b,c", "d\"e"], ["multi\r\nline", "", "x\ny"], ["", " sp ", "é🙂"]];
        var input = _dir["records.json"];
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(records));
        var path = _dir["py.csv"];
        const string script = "import csv, json, sys\nrows = json.load(open(sys.argv[1], encoding='utf-8'))\n"
            + "with open(sys.argv[2], 'w', newline='', encoding='utf-8') as f:\n    csv.writer(f).writerows(rows)\n";
        var scriptPath = _dir["write.py"];
        await File.WriteAllTextAsync(scriptPath, script);
        Assert.Equal(0, ExternalTools.Run(python, $"\"{scriptPath}\" \"{input}\" \"{path}\"", null, out _));

        using var text = new StreamReader(path);
        var reader = new CsvRecordReader(text, "py.csv");
        var read = new List<(int Line, string[] Values)>();
        while (reader.Next() is { } r) read.Add((r.Line, r.Fields.Select(f => f.Value).ToArray()));
        Assert.Equal(records, read.Select(r => r.Values));
        Assert.Equal([1, 2, 5], read.Select(r => r.Line)); // the second record spans lines 2-4 (two of its fields hold a line break)
    }

    [Fact]
    public async Task Columns_may_come_in_any_order()
    {
        var rows = SampleTrials.Mixed();
        var path = await WriteFile(rows);
        // Reverse every record's fields, re-quoting them.
        var records = new List<List<CsvField>>();
        using (var text = new StreamReader(path))
        {
            var reader = new CsvRecordReader(text, path);
            while (reader.Next() is { } r) records.Add(r.Fields);
        }
        var reversed = _dir["reversed.csv"];
        await File.WriteAllTextAsync(reversed, string.Concat(records.Select(fields =>
            string.Join(",", Enumerable.Reverse(fields).Select(f => f.IsNull ? "" : CsvCells.Quote(f.Value))) + "\r\n")));
        TrialAssert.Equal(rows, ResultsCsv.Read(reversed));
    }

    [Fact]
    public async Task An_empty_export_has_a_header_and_no_rows()
    {
        var path = await WriteFile([]);
        Assert.Equal(string.Join(",", Storage.TrialColumns.All.Select(c => c.Name)) + "\r\n", await File.ReadAllTextAsync(path));
        Assert.Empty(ResultsCsv.Read(path));
    }

    [Fact]
    public async Task A_bad_cell_names_the_file_the_line_of_its_record_and_the_column()
    {
        // The first record's response holds a line break, so the second record starts on line 4.
        var rows = new[] { SampleTrials.IfEval("t1"), SampleTrials.Leakage("t2") with { Ratio = 0.625 } };
        var path = await WriteFile(rows);
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace(",0.625,", ",abc,"));
        var e = Assert.Throws<KvGridException>(() => ResultsCsv.Read(path));
        Assert.Equal($"{path}:4: column ratio: 'abc' is not a number", e.Message);
    }

    [Theory]
    [InlineData("leaked", "yes", "column leaked: 'yes' is not true or false")]
    [InlineData("repetition", "2.5", "column repetition: '2.5' is not a 32-bit integer")]
    [InlineData("completed_at", "yesterday", "column completed_at: 'yesterday' is not an ISO 8601 timestamp with offset")]
    [InlineData("span_keep", "{\"a\":\"high\"}", "column span_keep: invalid JSON for an object of numbers: ")]
    [InlineData("trial_id", null, "column trial_id: missing value")]
    public async Task Bad_cells_are_one_line_errors(string column, string? text, string expected)
    {
        var index = Storage.TrialColumns.All.ToList().FindIndex(c => c.Name == column);
        var fields = Storage.TrialColumns.All.Select(c => CsvCells.Quote(CsvCells.Format(c.Get(SampleTrials.Leakage("t"))))).ToArray();
        fields[index] = CsvCells.Quote(text);
        var path = _dir["bad.csv"];
        await File.WriteAllTextAsync(path, string.Join(",", Storage.TrialColumns.All.Select(c => c.Name)) + "\n" + string.Join(",", fields) + "\n");
        var e = Assert.Throws<KvGridException>(() => ResultsCsv.Read(path));
        Assert.StartsWith($"{path}:2: {expected}", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("\"unterminated\nfield", "x.csv:2: unterminated quoted field")]
    [InlineData("a,b\n", "x.csv:2: 2 fields, the header has 43")]
    [InlineData("ab\"c\n", "x.csv:2: '\"' inside an unquoted field (quote the field and double the quote)")]
    [InlineData("\"ab\"c\n", "x.csv:2: unexpected 'c' after a closing quote")]
    public void Malformed_records_are_one_line_errors(string record, string expected)
    {
        var text = string.Join(",", Storage.TrialColumns.All.Select(c => c.Name)) + "\r\n" + record;
        var e = Assert.Throws<KvGridException>(() => ResultsCsv.Read(new StringReader(text), "x.csv"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Header_problems_are_one_line_errors()
    {
        var names = Storage.TrialColumns.All.Select(c => c.Name).ToList();
        var missing = string.Join(",", names.Where(n => n != "device"));
        Assert.Equal("x.csv:1: the header has no column 'device'",
            Assert.Throws<KvGridException>(() => ResultsCsv.Read(new StringReader(missing), "x.csv")).Message);
        var twice = string.Join(",", names.Append("ratio"));
        Assert.Equal("x.csv:1: column 'ratio' appears twice in the header",
            Assert.Throws<KvGridException>(() => ResultsCsv.Read(new StringReader(twice), "x.csv")).Message);
        Assert.Equal("x.csv:1: empty file (expected a header row)",
            Assert.Throws<KvGridException>(() => ResultsCsv.Read(new StringReader(""), "x.csv")).Message);
        Assert.Equal($"{_dir["none.csv"]}: not found", Assert.Throws<KvGridException>(() => ResultsCsv.Read(_dir["none.csv"])).Message);
    }

    [Fact]
    public async Task A_file_exported_before_the_dtype_column_reads_with_no_dtype()
    {
        var path = await WriteFile(SampleTrials.Mixed().Select(r => r with { DType = null }), "old.csv");
        var lines = File.ReadAllText(path).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",dtype", lines[0]);
        // Drop the last column (dtype, empty here) from every record, as an export of the previous version wrote it.
        File.WriteAllText(path, string.Join("\r\n", lines.Select(l => l[..l.LastIndexOf(',')])) + "\r\n");
        var rows = ResultsCsv.Read(path);
        Assert.Equal(SampleTrials.Mixed().Count, rows.Count);
        Assert.All(rows, r => Assert.Null(r.DType));
    }
}
