namespace KvGrid.Sweeps.Inputs;

/// <summary>Defense names that are not templates of the defense file.</summary>
public static class DefenseNames
{
    /// <summary>sys_ifeval and synthetic: the system prompt as is, no defense text.</summary>
    public const string None = "none";

    /// <summary>synthetic: the generator's own defense sentence, at the place it drew (first, middle or last).</summary>
    public const string Synthetic = "synthetic";
}
