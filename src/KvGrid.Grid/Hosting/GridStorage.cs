namespace KvGrid.Grid;

/// <summary>Name of the grain storage provider holding registry and coordinator state (memory embedded, Redis in a cluster).</summary>
public static class GridStorage
{
    public const string Name = "kvgrid";
}
