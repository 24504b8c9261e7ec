using KvGrid.Contracts;
using KvGrid.Presses;

namespace KvGrid.Sweeps.Catalogs;

/// <summary>
/// Remedy names of a sweep spec and their <see cref="RemedyRef"/>s, from <see cref="RemedyDefinitions"/>: <c>none</c>
/// or a <c>+</c>-joined combination of at most one <c>whitelist</c> and at most one fair part. The canonical name lists
/// whitelist first (<c>fair+whitelist</c> is <c>whitelist+fair</c>) and spells former names as today's.
/// </summary>
public static class RemedyCatalog
{
    public const string None = RemedyDefinitions.None;
    public const string FairDefenseSystem = "defense_system";
    public const string FairInstructions = "instructions";

    /// <summary>The single-part names (combine with <c>+</c>).</summary>
    public static IReadOnlyList<string> PartNames { get; } = [None, .. RemedyDefinitions.Parts.Select(p => p.Name)];

    /// <summary>The record's spelling of which spans a fair part balances.</summary>
    public static string SpansOf(FairSpans spans) => spans == FairSpans.DefenseSystem ? FairDefenseSystem : FairInstructions;

    /// <summary>Parses a remedy name; returns null with a reason when it is not one.</summary>
    public static RemedyRef? TryParse(string name, out string? problem)
    {
        problem = null;
        var parts = name.Split('+', StringSplitOptions.TrimEntries);
        if (parts is [None])
        {
            return RemedyRef.None;
        }

        RemedyPart? whitelist = null;
        RemedyPart? fair = null;
        foreach (var part in parts)
        {
            var definition = RemedyDefinitions.Find(part);
            if (definition is { Whitelist: true } && whitelist is null)
            {
                whitelist = definition;
            }
            else if (definition is { Fair: not null } && fair is null)
            {
                fair = definition;
            }
            else
            {
                problem = part == None || definition is not null
                    ? $"'{part}' cannot be combined here (a remedy is none, or at most one whitelist plus at most one fair part)"
                    : $"unknown remedy part '{part}'{Spec.Suggestions.Hint(part, PartNames)}";
                return null;
            }
        }

        var canonical = string.Join("+", new[] { whitelist?.Name, fair?.Name }.OfType<string>());
        return new RemedyRef(canonical, whitelist is not null, fair?.Fair is { } spans ? SpansOf(spans) : null, fair?.SpanLocal ?? false);
    }
}
