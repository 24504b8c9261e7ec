using Orleans;

namespace KvGrid.Contracts;

/// <summary>A model as a sweep names it: a HF folder plus how to run it.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelRef(
    [property: Id(0)] string Name,
    [property: Id(1)] string Path,
    [property: Id(2)] string DType,
    [property: Id(3)] string Device);

/// <summary>
/// A press as a context runs it: its canonical name, every parameter's value (defaults filled in, invariant strings),
/// its canonical expression text (<c>snapkv(window_size=8)</c>, the press column of results, reports and metric
/// labels), and the inner press of a wrapper.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PressRef(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyDictionary<string, string> Parameters,
    [property: Id(2)] string? Expression = null,
    [property: Id(3)] PressRef? Inner = null)
{
    /// <summary>The canonical expression text (the name alone when built without one).</summary>
    public string Text => Expression ?? Name;

    /// <summary>
    /// What context ids hash: the name and every parameter sorted by name, defaults included. Spelled as before press
    /// expressions existed, so the ids (and stored results) of existing sweeps stay the same.
    /// </summary>
    public string IdentityKey
    {
        get
        {
            var args = Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value);
            if (Inner is not null) args = args.Prepend(Inner.IdentityKey);
            var list = args.ToList();
            return list.Count == 0 ? Name : Name + "(" + string.Join(",", list) + ")";
        }
    }
}

/// <summary>
/// A remedy: none; whitelist of the defense span; fair eviction over defense/system spans or per instruction
/// (optionally with span-local observation windows); or whitelist plus fair.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RemedyRef(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Whitelist,
    [property: Id(2)] string? Fair,            // null | "defense_system" | "instructions"
    [property: Id(3)] bool SpanLocalWindows)
{
    public static readonly RemedyRef None = new("none", false, null, false);
    public string Canonical => Name;

    /// <summary>
    /// What context and sweep ids hash: the remedy's semantics, spelled as the names stored before the span-local
    /// variants became plain <c>fair</c> (global quotas were <c>fair</c>, span-local <c>fair_local</c>), so a stored
    /// result is reused only by a remedy that means the same.
    /// </summary>
    public string IdentityKey
    {
        get
        {
            if (Fair is null) return Name;
            var fair = (Fair == "instructions" ? "fair_instructions" : "fair") + (SpanLocalWindows ? "_local" : "");
            return Whitelist ? "whitelist+" + fair : fair;
        }
    }
}

/// <summary>A labelled character range of the system message (defense, system instructions, one instruction).</summary>
[GenerateSerializer, Immutable]
public sealed record TextSpan(
    [property: Id(0)] string Label,
    [property: Id(1)] int Start,
    [property: Id(2)] int Length)
{
    public int End => Start + Length;
}

[GenerateSerializer, Immutable]
public sealed record DecodingRef(
    [property: Id(0)] int MaxNewTokens,
    [property: Id(1)] double Temperature,
    [property: Id(2)] long Seed)
{
    public string Canonical => $"max{MaxNewTokens}-t{Temperature.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}-s{Seed}";
}

/// <summary>How a trial's response is scored.</summary>
public enum ScoringKind { IfEval, Leakage }

/// <summary>A user turn sent on top of a compressed context; one trial per (turn, ratio).</summary>
[GenerateSerializer, Immutable]
public sealed record UserTurn(
    [property: Id(0)] string TurnId,
    [property: Id(1)] string Text,
    [property: Id(2)] ScoringKind Scoring,
    [property: Id(3)] string? AttackCategory);

/// <summary>What IFEval checks for a context's turns (the system instructions and their arguments).</summary>
[GenerateSerializer, Immutable]
public sealed record IfEvalRef(
    [property: Id(0)] string Key,
    [property: Id(1)] string Prompt,
    [property: Id(2)] IReadOnlyList<string> InstructionIds,
    [property: Id(3)] string KwargsJson);

/// <summary>
/// The unit of work: one (model, system message, press, remedy) context with every ratio and every user turn
/// that shares it. A shard prefills it once, derives the kept sets of all ratios from one scoring pass and
/// decodes the turns batched on each compressed cache.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ContextWork(
    [property: Id(0)] string ContextId,
    [property: Id(1)] string SweepId,
    [property: Id(2)] ModelRef Model,
    [property: Id(3)] string Benchmark,
    [property: Id(4)] string ItemId,
    [property: Id(5)] string SystemMessage,
    [property: Id(6)] IReadOnlyList<TextSpan> Spans,
    [property: Id(7)] string Defense,
    [property: Id(8)] string DefenseOrder,
    [property: Id(9)] PressRef Press,
    [property: Id(10)] RemedyRef Remedy,
    [property: Id(11)] IReadOnlyList<double> Ratios,
    [property: Id(12)] IReadOnlyList<UserTurn> Turns,
    [property: Id(13)] DecodingRef Decoding,
    [property: Id(14)] int Repetition,
    [property: Id(15)] string? LeakReference,
    [property: Id(16)] IfEvalRef? IfEval)
{
    public int TrialCount => Ratios.Count * Turns.Count;
}
