using KvGrid.Contracts;

namespace KvGrid.Grid.Coordination;

/// <summary>Live metrics by (model, press, remedy, ratio, defense order), updated as trial results arrive.</summary>
public sealed class Aggregator
{
    sealed class Cell
    {
        public int LeakageTrials, Leaked, IfEvalTrials, PromptStrict, PromptLoose, Instructions, InstructionStrict, InstructionLoose;
        public readonly Dictionary<string, (double Sum, int Count)> SpanKeep = new();
    }

    readonly Dictionary<(string Model, string Press, string Remedy, double Ratio, string Order), Cell> _cells = new();
    readonly HashSet<string> _seen = new();

    /// <summary>Adds a result once per trial id (re-deliveries are ignored).</summary>
    public bool Add(TrialResult r)
    {
        if (r.Status != "ok" || !_seen.Add(r.TrialId)) return false;
        var key = (r.Model, r.Press, r.Remedy, r.Ratio, r.DefenseOrder);
        if (!_cells.TryGetValue(key, out var c)) _cells[key] = c = new Cell();
        if (r.Leaked is { } leaked) { c.LeakageTrials++; if (leaked) c.Leaked++; }
        if (r.IfEvalStrict is { } strict && r.IfEvalLoose is { } loose)
        {
            c.IfEvalTrials++;
            if (strict.All(x => x)) c.PromptStrict++;
            if (loose.All(x => x)) c.PromptLoose++;
            c.Instructions += strict.Count;
            c.InstructionStrict += strict.Count(x => x);
            c.InstructionLoose += loose.Count(x => x);
        }
        if (r.SpanKeep is not null)
            foreach (var (label, keep) in r.SpanKeep)
            {
                var (sum, count) = c.SpanKeep.GetValueOrDefault(label);
                c.SpanKeep[label] = (sum + keep, count + 1);
            }
        return true;
    }

    public int Count => _seen.Count;

    public IReadOnlyList<AggregateRow> Rows() => _cells
        .OrderBy(k => k.Key.Model, StringComparer.Ordinal).ThenBy(k => k.Key.Press, StringComparer.Ordinal)
        .ThenBy(k => k.Key.Remedy, StringComparer.Ordinal).ThenBy(k => k.Key.Order, StringComparer.Ordinal).ThenBy(k => k.Key.Ratio)
        .Select(k => new AggregateRow(k.Key.Model, k.Key.Press, k.Key.Remedy, k.Key.Ratio, k.Key.Order,
            k.Value.LeakageTrials, k.Value.Leaked, k.Value.IfEvalTrials, k.Value.PromptStrict, k.Value.PromptLoose,
            k.Value.Instructions, k.Value.InstructionStrict, k.Value.InstructionLoose,
            k.Value.SpanKeep.ToDictionary(s => s.Key, s => s.Value.Sum / s.Value.Count)))
        .ToList();
}
