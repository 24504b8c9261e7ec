using KvGrid.Benchmarks;
using KvGrid.Benchmarks.Datasets;
using KvGrid.Benchmarks.Synthetic;
using KvGrid.IfEval;
using KvGrid.IfEval.Checkers;
using KvGrid.IfEval.Data;

namespace KvGrid.Sweeps.Inputs;

/// <summary>A defense of the sweep: its name and template (null for <c>none</c> and <c>synthetic</c>).</summary>
public sealed record DefenseChoice(string Name, DefenseTemplate? Template);

/// <summary>
/// The benchmark inputs a spec selects, loaded and checked against the spec: defense names exist in the defense
/// file, item keys and attack sets/categories exist, every instruction id is one IFEval knows. Errors point at
/// the spec entry that selects the bad thing.
/// </summary>
internal sealed class SweepInputs
{
    public IReadOnlyList<SysIfEvalItem> Items { get; private init; } = [];

    public IReadOnlyList<DefenseChoice> Defenses { get; private init; } = [];

    public IReadOnlyList<AttackPrompt> Attacks { get; private init; } = [];

    public IReadOnlyList<SyntheticExample> SyntheticExamples { get; private init; } = [];

    /// <summary>The resolved data files, by spec key (for the plan).</summary>
    public IReadOnlyDictionary<string, string> DataPaths { get; private init; } = new Dictionary<string, string>();

    public static SweepInputs Load(SweepSpec spec, SweepLoadOptions options)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        return spec.Benchmark switch
        {
            BenchmarkKind.Synthetic => new SweepInputs
            {
                Defenses = SyntheticDefenses(spec),
                SyntheticExamples = LoadSynthetic(spec),
                DataPaths = paths,
            },
            _ => new SweepInputs
            {
                Items = LoadItems(spec, options, paths),
                Defenses = LoadDefenses(spec, options, paths),
                Attacks = spec.Benchmark == BenchmarkKind.Raccoon ? LoadAttacks(spec, options, paths) : [],
                DataPaths = paths,
            },
        };
    }

    private static IReadOnlyList<SysIfEvalItem> LoadItems(SweepSpec spec, SweepLoadOptions options, Dictionary<string, string> paths)
    {
        var entry = spec.Data.SystemPrompts!;
        var path = DataResolver.Resolve(spec, entry, "system_prompts", options.DataCache, options.Roots);
        paths["system_prompts"] = path;
        IReadOnlyList<SysIfEvalItem> items;
        try
        {
            // The loader binds every instruction to its checker: unknown ids and bad kwargs fail here.
            items = SysIfEvalDataset.Load(path);
        }
        catch (IfEvalFormatException e)
        {
            throw DataResolver.Error(spec, entry, "system_prompts", e.Message);
        }

        foreach (var item in items)
        {
            if (item.Messages.Count < 2 || item.Messages[0].Role != "system" || item.Messages[1].Role != "user")
            {
                throw DataResolver.Error(spec, entry, "system_prompts",
                    $"{Path.GetFileName(path)}: item {item.Key}: messages must be a system message then a user message");
            }
        }

        var selection = spec.SystemPrompts!;
        if (selection.Keys is { } keys)
        {
            var byKey = new Dictionary<string, SysIfEvalItem>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                byKey.TryAdd(KeyOf(item), item);
            }

            return keys.Select(k => byKey.TryGetValue(k.Value, out var item)
                    ? item
                    : throw new SweepSpecException(spec.SourceName, k.At,
                        $"system_prompts.keys: no item with key '{k.Value}' in {Path.GetFileName(path)}"))
                .ToList();
        }

        if (selection.Count is { } count)
        {
            return count <= items.Count
                ? items.Take(count).ToList()
                : throw new SweepSpecException(spec.SourceName, selection.At,
                    $"system_prompts.count: {count} exceeds the {items.Count} items of {Path.GetFileName(path)}");
        }

        return items.Count > 0
            ? items
            : throw DataResolver.Error(spec, entry, "system_prompts", $"{Path.GetFileName(path)} has no items (the sweep would be empty)");
    }

    public static string KeyOf(SysIfEvalItem item) => item.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IReadOnlyList<DefenseChoice> LoadDefenses(SweepSpec spec, SweepLoadOptions options, Dictionary<string, string> paths)
    {
        var allowNone = spec.Benchmark == BenchmarkKind.SysIfEval;
        if (spec.Defenses.Count > 0 && spec.Defenses.All(d => allowNone && d.Value == DefenseNames.None))
        {
            return [new DefenseChoice(DefenseNames.None, null)]; // no template file needed
        }

        var entry = spec.Data.Defenses!;
        var path = DataResolver.Resolve(spec, entry, "defenses", options.DataCache, options.Roots);
        paths["defenses"] = path;
        IReadOnlyList<DefenseTemplate> templates;
        try
        {
            templates = DefenseTemplates.Load(path);
        }
        catch (DataFileException e)
        {
            throw DataResolver.Error(spec, entry, "defenses", e.Message);
        }

        if (spec.Defenses.Count == 0)
        {
            return templates.Count > 0
                ? templates.Select(t => new DefenseChoice(t.Name, t)).ToList()
                : throw DataResolver.Error(spec, entry, "defenses", $"{Path.GetFileName(path)} has no templates (the sweep would be empty)");
        }

        var known = templates.Select(t => t.Name).Concat(allowNone ? [DefenseNames.None] : []).ToList();
        return spec.Defenses.Select(d =>
        {
            if (allowNone && d.Value == DefenseNames.None)
            {
                return new DefenseChoice(DefenseNames.None, null);
            }

            var template = templates.FirstOrDefault(t => t.Name == d.Value)
                ?? throw new SweepSpecException(spec.SourceName, d.At,
                    $"defenses: unknown defense '{d.Value}' (not in {Path.GetFileName(path)}){Spec.Suggestions.Hint(d.Value, known)}");
            return new DefenseChoice(template.Name, template);
        }).ToList();
    }

    private static IReadOnlyList<DefenseChoice> SyntheticDefenses(SweepSpec spec)
    {
        string[] known = [DefenseNames.Synthetic, DefenseNames.None];
        return spec.Defenses.Select(d => known.Contains(d.Value)
                ? new DefenseChoice(d.Value, null)
                : throw new SweepSpecException(spec.SourceName, d.At,
                    $"defenses: unknown defense '{d.Value}' for the synthetic benchmark{Spec.Suggestions.Hint(d.Value, known)}"))
            .ToList();
    }

    private static IReadOnlyList<AttackPrompt> LoadAttacks(SweepSpec spec, SweepLoadOptions options, Dictionary<string, string> paths)
    {
        var entry = spec.Data.Attacks!;
        var root = DataResolver.Resolve(spec, entry, "attacks", options.DataCache, options.Roots);
        paths["attacks"] = root;
        var selection = spec.Attacks!;
        try
        {
            var present = RaccoonAttacks.ListSets(root);
            var prompts = new List<AttackPrompt>();
            foreach (var set in selection.Sets)
            {
                if (!present.Contains(set.Value))
                {
                    throw new SweepSpecException(spec.SourceName, set.At,
                        $"attacks.sets: unknown attack set '{set.Value}' in {root}{Spec.Suggestions.Hint(set.Value, present)}");
                }

                prompts.AddRange(RaccoonAttacks.LoadSet(root, set.Value));
            }

            if (selection.Categories is { } categories)
            {
                var known = prompts.Select(p => p.Category).Distinct().ToList();
                foreach (var category in categories.Where(c => !known.Contains(c.Value)))
                {
                    throw new SweepSpecException(spec.SourceName, category.At,
                        $"attacks.categories: unknown attack category '{category.Value}'{Spec.Suggestions.Hint(category.Value, known)}");
                }

                // Spec order of categories, then the loader's order within a category.
                prompts = categories.SelectMany(c => prompts.Where(p => p.Category == c.Value)).ToList();
            }

            if (selection.PromptsPerCategory is { } perCategory)
            {
                prompts = prompts.GroupBy(p => (p.Set, p.Category)).SelectMany(g => g.Take(perCategory)).ToList();
            }

            return prompts.Count > 0
                ? prompts
                : throw new SweepSpecException(spec.SourceName, selection.At, "attacks: the selection has no attack prompts");
        }
        catch (DataFileException e)
        {
            throw DataResolver.Error(spec, entry, "attacks", e.Message);
        }
    }

    private static IReadOnlyList<SyntheticExample> LoadSynthetic(SweepSpec spec)
    {
        var selection = spec.Synthetic!;
        var examples = SyntheticSuite.Generate(selection.Seed, selection.Count);
        foreach (var example in examples)
        {
            foreach (var id in example.Undefended.InstructionIdList.Where(id => !InstructionRegistry.IsKnown(id)))
            {
                throw new SweepSpecException(spec.SourceName, selection.At,
                    $"synthetic: example {example.Index} uses unknown IFEval instruction id '{id}'");
            }
        }

        return examples;
    }
}
