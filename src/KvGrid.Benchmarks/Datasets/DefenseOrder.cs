namespace KvGrid.Benchmarks.Datasets;

/// <summary>Where a defense template puts its defense text relative to the system prompt.</summary>
public enum DefenseOrder
{
    /// <summary>No defense text at all (<c>no_defense</c>: the template is just the placeholder).</summary>
    None,

    /// <summary>Defense before the system prompt (<c>standard_defense</c>).</summary>
    DefenseFirst,

    /// <summary>Defense after the system prompt (<c>flipped_defense</c>).</summary>
    DefenseLast,

    /// <summary>Defense text on both sides of the system prompt.</summary>
    Surrounding,
}
