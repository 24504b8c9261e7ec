namespace KvGrid.Compression;

/// <summary>
/// The scorers' typed parameters. The defaults here must equal <see cref="KvGrid.Presses.PressDefinitions"/>' (a test
/// checks); each press reads the ones it uses.
/// </summary>
public sealed record PressParameters
{
    public int WindowSize { get; init; } = 16;
    public int KernelSize { get; init; } = 5;
    public int NSink { get; init; } = 4;
    public int Beta { get; init; } = 20;
    public long Seed { get; init; } = 42;
}
