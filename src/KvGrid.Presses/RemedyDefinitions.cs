namespace KvGrid.Presses;

/// <summary>Which spans a fair-eviction remedy balances.</summary>
public enum FairSpans { DefenseSystem, Instructions }

/// <summary>
/// One remedy part as specs, the CLI and reports name it: what it balances or keeps, whether each span is scored on
/// its own (the paper's fair presses) or the press's global scores are split into per-span quotas, and whether it is
/// the paper's remedy or a KvGrid extension.
/// </summary>
public sealed record RemedyPart(string Name, bool Whitelist, FairSpans? Fair, bool SpanLocal, bool FromPaper, string Meaning);

/// <summary>
/// The remedies: the one list the spec catalog, the CLI help, the README table and the docs derive from. A remedy is
/// <c>none</c> or a <c>+</c>-joined combination of at most one whitelist and at most one fair part.
/// </summary>
public static class RemedyDefinitions
{
    public const string None = "none";

    public static IReadOnlyList<RemedyPart> Parts { get; } =
    [
        new("whitelist", true, null, false, true,
            "always keep every token of the defense span (the fork's force_keep_global); the press evicts among the rest"),
        new("fair", false, FairSpans.DefenseSystem, true, true,
            "the paper's fair eviction of the press over two spans, defense and system prompt, each keeping its share of the budget:"
            + " snapkv, tova and observed_attention score each span on its own (own window, anchor, attention within the span),"
            + " streaming_llm ramps each span with sinks in the first only, knorm (and presses without a span-local form) split their global scores"),
        new("fair_global", false, FairSpans.DefenseSystem, false, false,
            "per-span quotas over the press's own global scores, for every press (KvGrid's variant)"),
        new("fair_instructions", false, FairSpans.Instructions, true, false,
            "fair eviction as the paper's, with one span per instruction (and the defense, and the prefix)"),
        new("fair_instructions_global", false, FairSpans.Instructions, false, false,
            "per-instruction quotas over the press's global scores"),
    ];

    /// <summary>Former names that mean the same as a current one (the span-local variants were once <c>*_local</c>).</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["fair_local"] = "fair",
        ["fair_instructions_local"] = "fair_instructions",
    };

    public static RemedyPart? Find(string name) =>
        Parts.FirstOrDefault(p => p.Name == (Aliases.TryGetValue(name, out var canonical) ? canonical : name));

    /// <summary>The fair part with these semantics (the CLI's <c>--fair</c> and <c>--fair-global</c>).</summary>
    public static RemedyPart FairPart(FairSpans spans, bool spanLocal) => Parts.Single(p => p.Fair == spans && p.SpanLocal == spanLocal);

    /// <summary>The README's remedy table (a test keeps the README equal to it).</summary>
    public static string Markdown()
    {
        string AliasesOf(string name) => string.Join(", ", Aliases.Where(a => a.Value == name).Select(a => $"`{a.Key}`"));
        return "| remedy | former names | from | what it does |\n|---|---|---|---|\n"
            + string.Join("", Parts.Select(p => $"| `{p.Name}` | {AliasesOf(p.Name)} | {(p.FromPaper ? "the paper" : "KvGrid")} | {p.Meaning} |\n"))
            + "| `whitelist+fair`, `whitelist+fair_global`, ... | | KvGrid | a whitelist and one fair part together: the whitelisted tokens are kept, the fair part shares out the rest of the budget |\n";
    }
}
