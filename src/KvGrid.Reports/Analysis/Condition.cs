using KvGrid.Contracts;

namespace KvGrid.Reports.Analysis;

/// <summary>The cell a trial belongs to in most tables; sorts by model, order, press, remedy, then ratio.</summary>
public readonly record struct Condition(string Model, string DefenseOrder, string Press, string Remedy, double Ratio)
    : IComparable<Condition>
{
    public static Condition Of(TrialResult r) => new(r.Model, r.DefenseOrder, r.Press, r.Remedy, r.Ratio);

    public int CompareTo(Condition o)
    {
        int c = string.CompareOrdinal(Model, o.Model);
        if (c == 0) c = string.CompareOrdinal(DefenseOrder, o.DefenseOrder);
        if (c == 0) c = string.CompareOrdinal(Press, o.Press);
        if (c == 0) c = RemedyOrder(Remedy).CompareTo(RemedyOrder(o.Remedy));
        if (c == 0) c = string.CompareOrdinal(Remedy, o.Remedy);
        if (c == 0) c = Ratio.CompareTo(o.Ratio);
        return c;
    }

    /// <summary>The plain press ("none") first, so each remedy's rows follow the baseline they are compared with.</summary>
    static int RemedyOrder(string remedy) => remedy == Remedies.None ? 0 : 1;

    public override string ToString() => $"{Model} / {DefenseOrder} / {Press} / remedy {Remedy} / ratio {Ratio:0.###}";
}

/// <summary>Names the trial rows use for their axes.</summary>
public static class Remedies
{
    public const string None = "none";
}

public static class TrialStatus
{
    public const string Ok = "ok";
    public const string Failed = "failed";
}
