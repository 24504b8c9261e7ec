namespace KvGrid.Sweeps.Tests;

/// <summary>Every validation error: one line, <c>spec.yaml:LINE:COL: message</c>, pointing at the node at fault.</summary>
public sealed class ValidationTests(SpecFixture f) : IClassFixture<SpecFixture>
{
    private void Expect(string yaml, int line, string token, string detail)
    {
        var e = f.Fail(yaml);
        Assert.Equal(SpecFixture.At(yaml, line, token) + detail, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.IsAssignableFrom<KvGridException>(e);
    }

    [Fact]
    public void YamlSyntaxErrorIsReportedAtItsPosition()
    {
        var yaml = f.Raccoon(presses: "presses: [knorm");
        var e = f.Fail(yaml);
        Assert.StartsWith("spec.yaml:", e.Message);
        Assert.Contains("YAML syntax error", e.Message);
        Assert.DoesNotContain("(Line:", e.Message);
        Assert.True(e.At.Line >= 8, e.Message); // the unclosed flow sequence starts on line 8
    }

    [Fact]
    public void TabIndentationIsASyntaxErrorOnItsLine()
    {
        var e = f.Fail("name: t\nbenchmark: raccoon\nmodels:\n\t- name: m\n");
        Assert.Equal(4, e.At.Line);
        Assert.Contains("YAML syntax error", e.Message);
    }

    [Fact]
    public void UnknownTopLevelKeySuggestsTheClosestOne()
    {
        var yaml = f.Raccoon(presses: "presss: [knorm]");
        Expect(yaml, 8, "presss", "unknown key 'presss' (did you mean 'presses'?)");
    }

    [Fact]
    public void UnknownNestedKeyNamesItsSection()
    {
        var yaml = f.Raccoon(systemPrompts: "system_prompts: { cout: 2 }");
        Expect(yaml, 5, "cout", "unknown key 'cout' in 'system_prompts' (did you mean 'count'?)");
    }

    [Fact]
    public void MissingRequiredSectionPointsAtTheSpecRoot()
    {
        var yaml = f.Raccoon(presses: "");
        Expect(yaml, 1, "name", "missing required key 'presses'");
    }

    [Fact]
    public void UnknownPressSuggestsTheClosestName()
    {
        var yaml = f.Raccoon(presses: "presses: [knorm, snapvk]");
        Expect(yaml, 8, "snapvk", "presses[1]: unknown press 'snapvk' (did you mean 'snapkv'?)");
    }

    [Fact]
    public void PressParameterOfTheWrongTypeIsRejected()
    {
        var yaml = f.Raccoon(presses: "presses: [{ name: snapkv, window_size: 1.5 }]");
        Expect(yaml, 8, "1.5", "presses[0].window_size: press snapkv: window_size must be an integer >= 1 (got '1.5')");
    }

    [Fact]
    public void QuotedNumberIsTextNotAnInteger()
    {
        var yaml = f.Raccoon(presses: "presses: [{ name: streaming_llm, n_sink: \"4\" }]");
        Expect(yaml, 8, "\"4\"", "presses[0].n_sink: press streaming_llm: n_sink takes an unquoted value, not the string '4'");
    }

    [Fact]
    public void UnknownPressParameterListsTheKnownOnes()
    {
        var yaml = f.Raccoon(presses: "presses: [{ name: snapkv, window: 16 }]");
        Expect(yaml, 8, "window", "press snapkv has no parameter 'window' (its parameters: window_size, kernel_size) (did you mean 'window_size'?)");
    }

    [Fact]
    public void PressParameterBelowItsMinimumIsRejected()
    {
        var yaml = f.Raccoon(presses: "presses: [{ name: snapkv, window_size: 0 }]");
        Expect(yaml, 8, "0 }", "presses[0].window_size: press snapkv: window_size must be an integer >= 1 (got '0')");
    }

    // The shard's rules, caught by `sweep plan`: before the press definitions were shared, these passed the plan and then
    // failed every context on the shards.
    [Fact]
    public void AnEvenPoolingKernelIsRejected()
    {
        var yaml = f.Raccoon(presses: "presses: [{ name: snapkv, kernel_size: 4 }]");
        Expect(yaml, 8, "4 }", "presses[0].kernel_size: press snapkv: kernel_size must be odd and >= 1 (got 4)");
    }

    [Fact]
    public void AFractionalPyramidSlopeIsRejected()
    {
        var yaml = f.Raccoon(presses: "presses: [{ name: pyramidkv, beta: 2.5 }]");
        Expect(yaml, 8, "2.5", "presses[0].beta: press pyramidkv: beta must be an integer >= 1 (got '2.5')");
    }

    [Fact]
    public void ANegativeRandomSeedIsRejected()
    {
        var yaml = f.Raccoon(presses: "presses: [{ name: random, seed: -1 }]");
        Expect(yaml, 8, "-1", "presses[0].seed: press random: seed must be an integer >= 0 (got '-1')");
    }

    [Theory]
    [InlineData("presses: ['snapkv(window_size=8, kernel_size=4)']", "4)", "press snapkv: kernel_size must be odd and >= 1 (got 4)")]
    [InlineData("presses: ['pyramidkv(beta=2.5)']", "2.5", "press pyramidkv: beta must be an integer >= 1 (got '2.5')")]
    [InlineData("presses: ['random(seed=-1)']", "-1", "press random: seed must be an integer >= 0 (got '-1')")]
    [InlineData("presses: ['snapkv(window=8)']", "window=", "press snapkv has no parameter 'window' (its parameters: window_size, kernel_size)")]
    [InlineData("presses: ['snapkv(window_size=8']", "']", "missing ')'")]
    [InlineData("presses: ['snapkv(knorm)']", "knorm)", "press snapkv is not a wrapper: 'knorm' needs '=value'")]
    [InlineData("presses:\n  - snapkv(window_size=8, window_size=9)", "window_size=9", "press snapkv: window_size is given twice")]
    public void ABadExpressionIsReportedAtTheCharacterAtFault(string presses, string token, string detail)
    {
        var yaml = f.Raccoon(presses: presses);
        var text = presses.Contains('\'') ? presses.Split('\'')[1] : presses.Split("- ")[1];
        var line = presses.Contains('\n') ? 9 : 8;
        Expect(yaml, line, token, $"presses[0]: press '{text}': {detail}");
    }

    // One rule per parameter: a spec's mapping, a spec's expression and every other spelling give the definition's message.
    [Fact]
    public void EveryBadParameterValueFailsThePlanWithTheDefinitionsOwnRule()
    {
        foreach (var press in KvGrid.Presses.PressDefinitions.All.Where(d => !d.IsWrapper))
        {
            foreach (var parameter in press.Parameters)
            {
                foreach (var bad in new[] { (parameter.Minimum - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "1.5", "x" }.Concat(parameter.MustBeOdd ? ["4"] : []))
                {
                    var rule = $"press {press.Name}: {parameter.Problem(bad)}";
                    Expect(f.Raccoon(presses: $"presses: [{{ name: {press.Name}, {parameter.Name}: {bad} }}]"), 8, bad + " }", $"presses[0].{parameter.Name}: {rule}");
                    var expression = $"{press.Name}({parameter.Name}={bad})";
                    Expect(f.Raccoon(presses: $"presses: ['{expression}']"), 8, bad + ")", $"presses[0]: press '{expression}': {rule}");
                }
            }
        }
    }

    [Fact]
    public void EveryAliasTheCompressionLayerKnowsIsAcceptedAndCanonical()
    {
        var x = f.Expand(f.Raccoon(presses: "presses: [snap, pyramid, streamingllm, h2o]"));
        Assert.Equal(["snapkv", "pyramidkv", "streaming_llm", "observed_attention"], x.Contexts.Select(c => c.Press.Name).Distinct());
    }

    [Fact]
    public void RatioOfOneIsOutsideTheRange()
    {
        var yaml = f.Raccoon(ratios: "ratios: [0.0, 1.0]");
        Expect(yaml, 10, "1.0", "ratios[1]: ratio 1 is outside [0, 1)");
    }

    [Fact]
    public void NegativeRatioIsOutsideTheRange()
    {
        var yaml = f.Raccoon(ratios: "ratios: [-0.1]");
        Expect(yaml, 10, "-0.1", "ratios[0]: ratio -0.1 is outside [0, 1)");
    }

    [Fact]
    public void RangeWithZeroStepIsABadRange()
    {
        var yaml = f.Raccoon(ratios: "ratios: { start: 0.0, stop: 0.9, step: 0 }");
        Expect(yaml, 10, "0 }", "ratios.step: bad range: step must be positive, not 0");
    }

    [Fact]
    public void RangeWithStopBelowStartIsABadRange()
    {
        var yaml = f.Raccoon(ratios: "ratios: { start: 0.5, stop: 0.2, step: 0.1 }");
        Expect(yaml, 10, "0.2", "ratios.stop: bad range: stop 0.2 is below start 0.5");
    }

    [Fact]
    public void RangeReachingOneIsOutsideTheRange()
    {
        var yaml = f.Raccoon(ratios: "ratios: { start: 0.0, stop: 1.0, step: 0.5 }");
        Expect(yaml, 10, "{", "ratios: ratio 1 (in the range) is outside [0, 1)");
    }

    [Fact]
    public void DuplicateRatioIsRejected()
    {
        var yaml = f.Raccoon(ratios: "ratios: [0.5, 0.50]");
        Expect(yaml, 10, "0.50", "ratios[1]: duplicate ratio 0.5");
    }

    [Fact]
    public void UnknownDefenseIsNotInTheDefenseFile()
    {
        var yaml = f.Raccoon(defenses: "defenses: [standard_defence]");
        Expect(yaml, 6, "standard_defence",
            "defenses: unknown defense 'standard_defence' (not in defense_template.json) (did you mean 'standard_defense'?)");
    }

    [Fact]
    public void NoneIsNotARaccoonDefense()
    {
        var yaml = f.Raccoon(defenses: "defenses: [none]");
        var e = f.Fail(yaml);
        Assert.StartsWith(SpecFixture.At(yaml, 6, "none") + "defenses: unknown defense 'none'", e.Message);
    }

    [Fact]
    public void UnknownRemedyPartSuggestsTheClosest()
    {
        var yaml = f.Raccoon(remedies: "remedies: [none, whitelst]");
        Expect(yaml, 9, "whitelst", "remedies[1]: unknown remedy part 'whitelst' (did you mean 'whitelist'?)");
    }

    [Fact]
    public void TwoFairPartsCannotCombine()
    {
        var yaml = f.Raccoon(remedies: "remedies: [fair+fair_local]");
        var e = f.Fail(yaml);
        Assert.StartsWith(SpecFixture.At(yaml, 9, "fair+") + "remedies[0]: 'fair_local' cannot be combined here", e.Message);
    }

    [Fact]
    public void MissingModelFolderNamesWhereItLooked()
    {
        var yaml = f.Raccoon(models: "models: [{ name: m, path: no-such-model }]");
        var e = f.Fail(yaml);
        Assert.StartsWith(SpecFixture.At(yaml, 3, "no-such-model") + "models[0].path: model folder 'no-such-model' not found (looked in "
            + Path.Combine(f.Dir.Path, "no-such-model"), e.Message);
    }

    [Fact]
    public void ModelFolderWithoutConfigOrWeightsIsRejected()
    {
        var folder = f.Dir["incomplete-model"];
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), "{}");
        var yaml = f.Raccoon(models: "models: [{ name: m, path: incomplete-model }]");
        Expect(yaml, 3, "incomplete-model",
            $"models[0].path: model folder '{folder}' has no config.json, no weights (model.safetensors or model.safetensors.index.json)");
    }

    [Fact]
    public void ShardedWeightsIndexCountsAsWeights()
    {
        var folder = f.Dir["sharded-model"];
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { "config.json", "tokenizer.json", "model.safetensors.index.json" })
        {
            File.WriteAllText(Path.Combine(folder, file), "{}");
        }

        var spec = f.Parse(f.Raccoon(models: "models: [{ name: m, path: sharded-model, dtype: bfloat16, device: cuda }]"));
        Assert.Equal(folder, spec.Models[0].ResolvedPath);
        Assert.Equal(("bfloat16", "cuda"), (spec.Models[0].DType, spec.Models[0].Device));
    }

    [Fact]
    public void DuplicateModelNamesAreRejected()
    {
        var yaml = f.Raccoon(models: $"models: [{{ name: m, path: \"{f.ModelPath}\" }}, {{ name: m, path: \"{f.ModelPath}\" }}]");
        var line = yaml.Split('\n')[2];
        var column = line.LastIndexOf("m,", StringComparison.Ordinal) + 1;
        Assert.Equal($"spec.yaml:3:{column}: models[1].name: duplicate model name 'm'", f.Fail(yaml).Message);
    }

    [Fact]
    public void UnknownDTypeIsRejected()
    {
        var yaml = f.Raccoon(models: $"models: [{{ name: m, path: \"{f.ModelPath}\", dtype: bf16 }}]");
        Expect(yaml, 3, "bf16", "models[0].dtype: 'bf16' is not one of float32, bfloat16, float16 (did you mean 'bfloat16'?)");
    }

    [Fact]
    public void UnknownInstructionIdInTheDataIsReportedWithBothLocations()
    {
        var bad = f.Dir["bad_ifeval.jsonl"];
        var lines = File.ReadLines(SpecFixture.Items).Take(3).ToList();
        lines[1] = lines[1].Replace("\"instruction_id_list\": [\"", "\"instruction_id_list\": [\"punctuation:no_semicolon\", \"", StringComparison.Ordinal)
            .Replace("\"kwargs\": [", "\"kwargs\": [{}, ", StringComparison.Ordinal);
        File.WriteAllLines(bad, lines);
        var yaml = f.SysIfEval(data: $"data: {{ system_prompts: bad_ifeval.jsonl, defenses: \"{SpecFixture.Defenses}\" }}");
        Expect(yaml, 4, "bad_ifeval.jsonl",
            "data.system_prompts: bad_ifeval.jsonl:2: instruction_id_list[0]: unknown instruction id 'punctuation:no_semicolon'");
    }

    [Fact]
    public void UnknownAttackCategorySuggestsTheClosest()
    {
        var yaml = f.Raccoon(attacks: "attacks: { categories: [Plain, Translaton] }");
        Expect(yaml, 7, "Translaton", "attacks.categories: unknown attack category 'Translaton' (did you mean 'Translation'?)");
    }

    [Fact]
    public void UnknownAttackSetIsRejected()
    {
        var yaml = f.Raccoon(attacks: "attacks: { sets: [singular_attack] }");
        var e = f.Fail(yaml);
        Assert.StartsWith(SpecFixture.At(yaml, 7, "singular_attack") + "attacks.sets: unknown attack set 'singular_attack'", e.Message);
        Assert.EndsWith("(did you mean 'singular_attacks'?)", e.Message);
    }

    [Fact]
    public void CountZeroIsAnEmptyExpansion()
    {
        var yaml = f.Raccoon(systemPrompts: "system_prompts: { count: 0 }");
        Expect(yaml, 5, "0", "system_prompts.count: must be at least 1 (count 0 expands to no contexts)");
    }

    [Fact]
    public void SyntheticCountZeroIsAnEmptyExpansion()
    {
        var yaml = f.Synthetic(synthetic: "synthetic: { seed: 7, count: 0 }");
        Expect(yaml, 4, "0 }", "synthetic.count: must be at least 1 (count 0 expands to no contexts)");
    }

    [Fact]
    public void EverythingSkippedIsAnEmptyExpansion()
    {
        var yaml = f.Raccoon(defenses: "defenses: [no_defense]", remedies: "remedies: [whitelist]");
        Expect(yaml, 9, "whitelist",
            "the sweep expands to no contexts: every combination was skipped (whitelist with no_defense: no defense span to whitelist)");
    }

    [Fact]
    public void CountBeyondTheDataIsRejected()
    {
        var yaml = f.Raccoon(systemPrompts: "system_prompts: { count: 540 }");
        Expect(yaml, 5, "{", "system_prompts.count: 540 exceeds the 539 items of sys_ifeval_shuffled.jsonl");
    }

    [Fact]
    public void UnknownItemKeyIsRejected()
    {
        var yaml = f.Raccoon(systemPrompts: "system_prompts: { keys: [2759, 99999] }");
        Expect(yaml, 5, "99999", "system_prompts.keys: no item with key '99999' in sys_ifeval_shuffled.jsonl");
    }

    [Fact]
    public void SectionThatDoesNotApplyToTheBenchmarkIsRejected()
    {
        var yaml = f.SysIfEval() + "attacks: { categories: [Plain] }\n";
        Expect(yaml, 10, "attacks", "'attacks' does not apply to benchmark sys_ifeval");
    }

    [Fact]
    public void UnknownBenchmarkSuggestsTheClosest()
    {
        var yaml = f.Raccoon().Replace("benchmark: raccoon", "benchmark: racoon", StringComparison.Ordinal);
        Expect(yaml, 2, "racoon", "benchmark: unknown benchmark 'racoon' (did you mean 'raccoon'?)");
    }

    [Fact]
    public void DataNameThatIsNotFetchedSaysWhatToRun()
    {
        var cache = new KvGrid.Benchmarks.Fetching.DataCache(f.Dir["empty-cache"]);
        var yaml = f.Raccoon(data: $"data: {{ system_prompts: sys_ifeval_shuffled, attacks: \"{SpecFixture.Attacks}\", defenses: \"{SpecFixture.Defenses}\" }}");
        var e = Assert.Throws<SweepSpecException>(() => f.Parse(yaml, new SweepLoadOptions(cache)));
        Assert.StartsWith(SpecFixture.At(yaml, 4, "sys_ifeval_shuffled") + "data.system_prompts: dataset 'sys_ifeval_shuffled' not in the cache", e.Message);
        Assert.EndsWith("run `./kvgrid data fetch sys_ifeval_shuffled`", e.Message);
    }

    [Fact]
    public void DuplicateKeyIsRejected()
    {
        var yaml = f.Raccoon(extra: "presses: [tova]");
        var e = f.Fail(yaml);
        Assert.Equal(11, e.At.Line);
        Assert.Contains("uplicate key", e.Message);
    }

    [Fact]
    public void SyntheticOnlyKnowsItsOwnDefenses()
    {
        var yaml = f.Synthetic(defenses: "defenses: [standard_defense]");
        Expect(yaml, 5, "standard_defense", "defenses: unknown defense 'standard_defense' for the synthetic benchmark (known: synthetic, none)");
    }

    [Fact]
    public void CountAndKeysAreExclusive()
    {
        var yaml = f.Raccoon(systemPrompts: "system_prompts: { count: 2, keys: [2759] }");
        Expect(yaml, 5, "[2759]", "system_prompts.keys: give either 'count' or 'keys', not both");
    }

    [Fact]
    public void RelativeModelPathPrefersTheSpecFolder()
    {
        var candidates = Spec.ModelFolder.Candidates("models/x", "/specs/here");
        Assert.Equal(["/specs/here/models/x", Path.GetFullPath("models/x")], candidates);
        Assert.Equal(["/abs/model"], Spec.ModelFolder.Candidates("/abs/model", "/specs/here"));
    }

    [Fact]
    public void SpecThatIsNotAMappingIsRejected()
    {
        var e = f.Fail("- a\n- b\n");
        Assert.Equal("spec.yaml:1:1: the spec must be a mapping of sections, not a list", e.Message);
    }
}
