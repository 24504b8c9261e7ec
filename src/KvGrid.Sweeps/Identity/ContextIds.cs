using KvGrid.Contracts;

namespace KvGrid.Sweeps;

/// <summary>
/// Content-derived context ids (first 32 hex digits of a SHA-256 over a canonical text), stable across runs and
/// machines for the same content. A context id covers everything its prefill and decoding depend on: model
/// (name, path, dtype), benchmark, item, the system message and its spans, defense, press, remedy, decoding and
/// repetition. Ratios and turns are not part of it: trial ids (<see cref="TrialIds.For(ContextWork, double, UserTurn)"/>)
/// add them, so adding a ratio or an attack prompt to a sweep keeps the ids, and results, of the trials it
/// already had. The sweep id is not part of it either: sweeps that share a trial share its result.
/// </summary>
public static class ContextIds
{
    public static string For(ContextWork context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Identity.CanonicalText()
            .Add("kind", "kvgrid-context/1")
            .Add("model.name", context.Model.Name)
            .Add("model.path", context.Model.Path)
            .Add("model.dtype", context.Model.DType)
            .Add("benchmark", context.Benchmark)
            .Add("item", context.ItemId)
            .Add("system", context.SystemMessage)
            .Add("spans", string.Join(";", context.Spans.Select(s => $"{s.Label}@{s.Start}+{s.Length}")))
            .Add("defense", context.Defense)
            .Add("press", context.Press.IdentityKey)
            .Add("remedy", context.Remedy.IdentityKey)
            .Add("decoding", context.Decoding.Canonical)
            .Add("repetition", context.Repetition)
            .Hash();
    }
}
