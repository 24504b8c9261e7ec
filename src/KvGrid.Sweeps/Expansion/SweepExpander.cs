using KvGrid.Contracts;
using KvGrid.Presses;
using System.Text.Json;
using KvGrid.Sweeps.Catalogs;
using KvGrid.Sweeps.Expansion;
using KvGrid.Sweeps.Inputs;

namespace KvGrid.Sweeps;

/// <summary>
/// Expands a loaded <see cref="SweepSpec"/> into <see cref="ContextWork"/> items: one per (model, press, remedy,
/// defense, item, repetition), each carrying every ratio and every user turn that share its prefill. Pure and
/// deterministic: the same spec and data give the same contexts, in the same order, with the same ids.
/// </summary>
public static class SweepExpander
{
    /// <exception cref="SweepSpecException">The sweep expands to no contexts (every combination skipped).</exception>
    public static SweepExpansion Expand(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var inputs = spec.Inputs;
        var items = Items(spec, inputs);
        var contexts = new List<ContextWork>();
        var skipped = new Dictionary<(string, string, string, string), (int Contexts, long Trials)>();
        var ratios = spec.Ratios.Value;
        // Build each (defense, item) system message once: presses, remedies and models share it.
        var messages = inputs.Defenses.Select(d => items.Select(i => i.Message(d)).ToList()).ToList();

        foreach (var model in spec.Models)
        {
            var modelRef = model.ToRef();
            foreach (var press in spec.Presses.Select(p => p.Value))
            {
                foreach (var remedy in spec.Remedies.Select(r => r.Value))
                {
                    for (var d = 0; d < inputs.Defenses.Count; d++)
                    {
                        var defense = inputs.Defenses[d];
                        for (var i = 0; i < items.Count; i++)
                        {
                            var item = items[i];
                            var message = messages[d][i];
                            var trialsPerRepetition = (long)ratios.Count * item.Turns.Count;
                            if (WhyNotApplicable(remedy, message) is { } reason)
                            {
                                var key = (press.Text, remedy.Canonical, defense.Name, reason);
                                var sum = skipped.GetValueOrDefault(key);
                                skipped[key] = (sum.Contexts + spec.Repetitions, sum.Trials + trialsPerRepetition * spec.Repetitions);
                                continue;
                            }

                            for (var repetition = 0; repetition < spec.Repetitions; repetition++)
                            {
                                var work = new ContextWork(
                                    ContextId: "",
                                    SweepId: spec.SweepId,
                                    Model: modelRef,
                                    Benchmark: spec.BenchmarkName,
                                    ItemId: item.ItemId,
                                    SystemMessage: message.Text,
                                    Spans: message.Spans,
                                    Defense: defense.Name,
                                    DefenseOrder: message.DefenseOrder,
                                    Press: press,
                                    Remedy: remedy,
                                    Ratios: ratios,
                                    Turns: item.Turns,
                                    Decoding: spec.Decoding,
                                    Repetition: repetition,
                                    LeakReference: message.LeakReference,
                                    IfEval: item.IfEval);
                                contexts.Add(work with { ContextId = ContextIds.For(work) });
                            }
                        }
                    }
                }
            }
        }

        var skippedList = skipped
            .Select(s => new SkippedCombination(s.Key.Item1, s.Key.Item2, s.Key.Item3, s.Key.Item4, s.Value.Contexts, s.Value.Trials))
            .ToList();
        if (contexts.Count == 0)
        {
            var at = spec.Remedies.Count > 0 ? spec.Remedies[0].At : SpecPosition.Start;
            var why = skippedList.Count > 0 ? $": every combination was skipped ({skippedList[0].Remedy} with {skippedList[0].Defense}: {skippedList[0].Reason})" : "";
            throw new SweepSpecException(spec.SourceName, at, "the sweep expands to no contexts" + why);
        }

        return new SweepExpansion(spec.SweepId, spec.Name, spec.BenchmarkName, contexts, Axes(spec, inputs, items), skippedList);
    }

    /// <summary>Why a remedy cannot apply to a context, or null when it can.</summary>
    internal static string? WhyNotApplicable(RemedyRef remedy, SystemMessage message)
    {
        if ((remedy.Whitelist || remedy.Fair == RemedyCatalog.FairDefenseSystem) && !message.HasDefense)
        {
            return "no defense span to " + (remedy.Whitelist ? "whitelist" : "balance against the system prompt");
        }

        if (remedy.Fair == RemedyCatalog.FairInstructions && message.InstructionGroupCount < 2)
        {
            return "fewer than two instruction spans to balance";
        }

        return null;
    }

    private static List<AxisCount> Axes(SweepSpec spec, SweepInputs inputs, IReadOnlyList<SweepItem> items)
    {
        var turns = items.SelectMany(i => i.Turns.Select(t => t.TurnId)).Distinct().ToList();
        return
        [
            new("models", spec.Models.Count, spec.Models.Select(m => m.Name).ToList()),
            new("presses", spec.Presses.Count, spec.Presses.Select(p => p.Value.Text).ToList()),
            new("remedies", spec.Remedies.Count, spec.Remedies.Select(r => r.Value.Canonical).ToList()),
            new("defenses", inputs.Defenses.Count, inputs.Defenses.Select(d => d.Name).ToList()),
            new(spec.Benchmark == BenchmarkKind.Synthetic ? "examples" : "system prompts", items.Count, items.Select(i => i.ItemId).ToList()),
            new("repetitions", spec.Repetitions, Enumerable.Range(0, spec.Repetitions).Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList()),
            new("ratios", spec.Ratios.Value.Count, spec.Ratios.Value.Select(r => r.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture)).ToList()),
            new("user turns", turns.Count, turns),
        ];
    }

    /// <summary>One item of the benchmark: how to build its system message for a defense, its turns and IFEval reference.</summary>
    private sealed record SweepItem(string ItemId, Func<DefenseChoice, SystemMessage> Message, IReadOnlyList<UserTurn> Turns, IfEvalRef? IfEval);

    private static IReadOnlyList<SweepItem> Items(SweepSpec spec, SweepInputs inputs)
    {
        switch (spec.Benchmark)
        {
            case BenchmarkKind.Synthetic:
                return inputs.SyntheticExamples.Select(example =>
                {
                    var itemId = $"seed{spec.Synthetic!.Seed}/{example.Index}";
                    var turns = example.BenignTurns
                        .Select((b, i) => new UserTurn($"benign{i}", b.User, ScoringKind.IfEval, null))
                        .Concat(example.AttackTurns.Select((a, i) => new UserTurn($"attack{i}", a.User, ScoringKind.Leakage, "synthetic")))
                        .ToList();
                    var rules = example.Undefended.FormatRules;
                    var ifEval = new IfEvalRef(itemId, example.Undefended.Text, rules.Select(r => r.IfEvalId!).ToList(),
                        "[" + string.Join(",", rules.Select(r => r.KwargsJson)) + "]");
                    return new SweepItem(itemId, d => SystemMessage.FromSynthetic(example, d.Name == DefenseNames.Synthetic), turns, ifEval);
                }).ToList();

            case BenchmarkKind.Raccoon:
                var attackTurns = inputs.Attacks.Select(a => new UserTurn(a.Id, a.Text, ScoringKind.Leakage, a.Category)).ToList();
                return inputs.Items.Select(item => new SweepItem(
                    SweepInputs.KeyOf(item),
                    d => SystemMessage.FromPrompt(item.Messages[0].Content, spec.SystemPrompts!.Prefix, d.Template),
                    attackTurns,
                    null)).ToList();

            default:
                return inputs.Items.Select(item =>
                {
                    var key = SweepInputs.KeyOf(item);
                    var turn = new UserTurn("user", item.Messages[1].Content, ScoringKind.IfEval, null);
                    var ifEval = new IfEvalRef(key, item.Prompt, item.InstructionIds, JsonSerializer.Serialize(item.Kwargs));
                    return new SweepItem(key, d => SystemMessage.FromPrompt(item.Messages[0].Content, spec.SystemPrompts!.Prefix, d.Template), [turn], ifEval);
                }).ToList();
        }
    }
}
