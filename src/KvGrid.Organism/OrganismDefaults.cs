namespace KvGrid.Organism;

/// <summary>The held-out evaluation the model card reports (and the test reproduces).</summary>
public static class OrganismDefaults
{
    /// <summary>Suite seed of the held-out conversations; training draws from seed 42, a different stream.</summary>
    public const ulong HeldOutSeed = 2026;
    public const int HeldOutCount = 25;
    public const int MaxNewTokens = 200;
}
