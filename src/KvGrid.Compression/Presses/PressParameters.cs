namespace KvGrid.Compression;

/// <summary>
/// Press parameters with the paper's defaults (window 16 as its scripts set for SnapKV/PyramidKV; kvpress's class
/// default is 64). Each press reads the ones it uses.
/// </summary>
public sealed record PressParameters
{
    public int WindowSize { get; init; } = 16;
    public int KernelSize { get; init; } = 5;
    public int NSink { get; init; } = 4;
    public int Beta { get; init; } = 20;
    public long Seed { get; init; } = 42;

    public static readonly IReadOnlyList<string> Names = ["window_size", "kernel_size", "n_sink", "beta", "seed"];
}
