namespace KvGrid.IfEval.Checkers;

/// <summary>The reference's _COMPARISON_RELATION: "less than" (actual &lt; threshold) or "at least" (actual &gt;= threshold).</summary>
public enum Relation
{
    LessThan,
    AtLeast,
}

public static class RelationExtensions
{
    public static bool Holds(this Relation relation, int actual, long threshold) =>
        relation == Relation.LessThan ? actual < threshold : actual >= threshold;

    public static string ToText(this Relation relation) => relation == Relation.LessThan ? "less than" : "at least";
}
