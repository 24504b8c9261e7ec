using KvGrid.Contracts;

namespace KvGrid.Sweeps.Catalogs;

/// <summary>
/// Remedy names of a sweep spec and their <see cref="RemedyRef"/>s. A remedy is <c>none</c> or a <c>+</c>-joined
/// combination of at most one <c>whitelist</c> and at most one fair-eviction part:
/// <list type="bullet">
/// <item><c>whitelist</c>: always keep every token of the defense span;</item>
/// <item><c>fair</c>: fair eviction over the paper's two spans, defense and system prompt;</item>
/// <item><c>fair_local</c>: as <c>fair</c>, each span scored with its own observation window;</item>
/// <item><c>fair_instructions</c>: fair eviction with one span per instruction (and the defense, and the prefix);</item>
/// <item><c>fair_instructions_local</c>: as <c>fair_instructions</c> with span-local windows.</item>
/// </list>
/// The canonical name lists whitelist first (<c>fair+whitelist</c> is <c>whitelist+fair</c>).
/// </summary>
public static class RemedyCatalog
{
    public const string None = "none";
    public const string Whitelist = "whitelist";
    public const string FairDefenseSystem = "defense_system";
    public const string FairInstructions = "instructions";

    private static readonly Dictionary<string, (string Fair, bool Local)> FairParts = new(StringComparer.Ordinal)
    {
        ["fair"] = (FairDefenseSystem, false),
        ["fair_local"] = (FairDefenseSystem, true),
        ["fair_instructions"] = (FairInstructions, false),
        ["fair_instructions_local"] = (FairInstructions, true),
    };

    /// <summary>The single-part names (combine with <c>+</c>).</summary>
    public static IReadOnlyList<string> PartNames { get; } = [None, Whitelist, .. FairParts.Keys];

    /// <summary>Parses a remedy name; returns null with a reason when it is not one.</summary>
    public static RemedyRef? TryParse(string name, out string? problem)
    {
        problem = null;
        var parts = name.Split('+', StringSplitOptions.TrimEntries);
        if (parts is [None])
        {
            return RemedyRef.None;
        }

        var whitelist = false;
        (string Fair, bool Local)? fair = null;
        string? fairName = null;
        foreach (var part in parts)
        {
            if (part == Whitelist && !whitelist)
            {
                whitelist = true;
            }
            else if (FairParts.TryGetValue(part, out var f) && fair is null)
            {
                fair = f;
                fairName = part;
            }
            else
            {
                problem = part == None || part == Whitelist || FairParts.ContainsKey(part)
                    ? $"'{part}' cannot be combined here (a remedy is none, or at most one whitelist plus at most one fair part)"
                    : $"unknown remedy part '{part}'{Spec.Suggestions.Hint(part, PartNames)}";
                return null;
            }
        }

        var canonical = string.Join("+", new[] { whitelist ? Whitelist : null, fairName }.OfType<string>());
        return new RemedyRef(canonical, whitelist, fair?.Fair, fair?.Local ?? false);
    }
}
