using System.Text;
using System.Text.RegularExpressions;

namespace KvGrid.Benchmarks.Datasets;

/// <summary>
/// Loads Raccoon attack prompts from an <c>attacks</c> folder laid out as upstream:
/// <c>&lt;set&gt;/&lt;category&gt;/promptN</c>. Order is deterministic: known sets first (singular, compound,
/// deflesstop5), then other sets by ordinal name; categories by ordinal name; prompts by N (natural order, so
/// prompt10 follows prompt9, unlike the paper's lexicographic <c>sorted()</c>).
/// </summary>
public static partial class RaccoonAttacks
{
    public const string SingularSet = "singular_attacks";
    public const string CompoundSet = "compound_attacks";

    /// <summary>A five-category subset of the singular attacks that upstream ships as its own folder.</summary>
    public const string DefenselessTop5Set = "singular_attacks_deflesstop5";

    private static readonly string[] KnownSetOrder = [SingularSet, CompoundSet, DefenselessTop5Set];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [GeneratedRegex(@"^prompt([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PromptFileName();

    /// <summary>The attack sets present under <paramref name="attacksRoot"/>, in load order.</summary>
    public static IReadOnlyList<string> ListSets(string attacksRoot)
    {
        RequireDirectory(attacksRoot);
        return Directory.EnumerateDirectories(attacksRoot)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !name.StartsWith('.') && !name.StartsWith("__", StringComparison.Ordinal))
            .OrderBy(SetRank)
            .ThenBy(name => name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every prompt of every set under <paramref name="attacksRoot"/>.</summary>
    public static IReadOnlyList<AttackPrompt> LoadAll(string attacksRoot) =>
        ListSets(attacksRoot).SelectMany(set => LoadSet(attacksRoot, set)).ToList();

    /// <summary>The prompts of one named set (e.g. <see cref="SingularSet"/>).</summary>
    /// <exception cref="DataFileException">The set is missing, a file is not <c>promptN</c>, not UTF-8, or empty.</exception>
    public static IReadOnlyList<AttackPrompt> LoadSet(string attacksRoot, string set)
    {
        RequireDirectory(attacksRoot);
        var setDirectory = Path.Combine(attacksRoot, set);
        if (!Directory.Exists(setDirectory))
        {
            throw new DataFileException(setDirectory,
                null, $"attack set '{set}' not found (present: {string.Join(", ", ListSets(attacksRoot))})");
        }

        var prompts = new List<AttackPrompt>();
        var categories = Directory.EnumerateDirectories(setDirectory)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !name.StartsWith('.'))
            .Order(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            prompts.AddRange(LoadCategory(set, category, Path.Combine(setDirectory, category)));
        }

        return prompts;
    }

    private static IEnumerable<AttackPrompt> LoadCategory(string set, string category, string directory)
    {
        var numbered = new List<(int Number, string Path)>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.'))
            {
                continue; // editor and OS droppings
            }

            var match = PromptFileName().Match(name);
            if (!match.Success || !int.TryParse(match.Groups[1].Value, out var number))
            {
                throw new DataFileException(file, null, "attack prompt files must be named promptN (N a number)");
            }

            numbered.Add((number, file));
        }

        foreach (var (number, path) in numbered.OrderBy(p => p.Number))
        {
            yield return new AttackPrompt(set, category, number, ReadPrompt(path), path);
        }
    }

    private static string ReadPrompt(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, StrictUtf8);
        }
        catch (DecoderFallbackException e)
        {
            throw new DataFileException(path, null, "not valid UTF-8 text: " + e.Message, e);
        }

        text = PythonText.Strip(text);
        return text.Length > 0 ? text : throw new DataFileException(path, null, "attack prompt is empty");
    }

    private static int SetRank(string set)
    {
        var index = Array.IndexOf(KnownSetOrder, set);
        return index < 0 ? KnownSetOrder.Length : index;
    }

    private static void RequireDirectory(string attacksRoot)
    {
        if (!Directory.Exists(attacksRoot))
        {
            throw new DataFileException(attacksRoot, null, "attacks folder not found");
        }
    }
}
