using System.Globalization;
using System.Text;

namespace KvGrid.Presses;

/// <summary>
/// The press definitions as a table: `kvgrid press list` prints it, and docs/presses.md is its Markdown form (a test
/// checks the committed page against this rendering, so the docs cannot drift from the definitions).
/// </summary>
public static class PressTable
{
    /// <summary>One parameter as the table and the help texts spell it: name=default, its rule, what it means.</summary>
    public static string Describe(PressParameter p)
    {
        var rule = p.Kind switch
        {
            PressParameterKind.Integer => $"integer >= {p.Minimum.ToString(CultureInfo.InvariantCulture)}{(p.MustBeOdd ? ", odd" : "")}",
            PressParameterKind.Number => $"number >= {p.Minimum.ToString(CultureInfo.InvariantCulture)}",
            _ => "true or false",
        };
        return $"{p.Name}={p.Default} ({rule}): {p.Meaning}";
    }

    public static IReadOnlyList<string> AliasesOf(PressDefinition press) =>
        PressDefinitions.Aliases.Where(a => a.Value == press.Name).Select(a => a.Key).ToList();

    public static string Markdown()
    {
        var md = new StringBuilder();
        md.Append("# Presses\n\n");
        md.Append("Generated from `src/KvGrid.Presses/PressDefinitions.cs` by `./kvgrid press list --markdown`; a test keeps this page equal to it.\n\n");
        md.Append("A press is written `name` or `name(key=value, ...)` everywhere: `--press`, a batch line's `\"press\"`, a sweep spec's\n");
        md.Append("`presses:` (also `{ name: snapkv, window_size: 8 }`), the results' `press` column, reports and metric labels. The\n");
        md.Append("canonical form lists only parameters that differ from their defaults, in the order below; the defaults are the paper's\n");
        md.Append("settings. The CLI's parameter flags (`--window-size 8`) are shorthands for the same arguments.\n\n");
        md.Append("| press | aliases | scores from | parameters (default, rule: meaning) | method | reference |\n");
        md.Append("|---|---|---|---|---|---|\n");
        foreach (var p in PressDefinitions.All)
        {
            var aliases = AliasesOf(p);
            md.Append($"| `{p.Name}` | {(aliases.Count == 0 ? "" : string.Join(", ", aliases.Select(a => $"`{a}`")))} | ")
              .Append(p.UsesAttention ? "attention weights" : "keys / positions").Append(" | ")
              .Append(p.Parameters.Count == 0 ? "none" : string.Join("<br>", p.Parameters.Select(x => $"`{Describe(x)}`"))).Append(" | ")
              .Append(p.Summary).Append(" | ").Append(p.Reference).Append(" |\n");
        }
        md.Append("\n## Remedies\n\n");
        md.Append("A spec's `remedies:` lists `none` or parts joined with `+` (at most one whitelist and one fair part). On the CLI,\n");
        md.Append("`--keep` spans are the whitelist, `--fair` spans the paper's fair eviction, `--fair-global` turns them into `fair_global`;\n");
        md.Append("a batch line's `\"keep\"`, `\"fair\"` and `\"fair_global\": true` say the same.\n\n");
        md.Append(RemedyDefinitions.Markdown());
        return md.ToString();
    }
}
