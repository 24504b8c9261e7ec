using System.Globalization;
using KvGrid.Presses;

namespace KvGrid.Compression;

/// <summary>
/// The scorers' typed parameters; each press reads the ones it uses. The defaults are the press definitions' own
/// (<see cref="PressDefinitions"/>), read once, so there is no second copy of them to keep in sync.
/// </summary>
public sealed record PressParameters
{
    public int WindowSize { get; init; } = (int)Default("window_size");
    public int KernelSize { get; init; } = (int)Default("kernel_size");
    public int NSink { get; init; } = (int)Default("n_sink");
    public int Beta { get; init; } = (int)Default("beta");
    public long Seed { get; init; } = Default("seed");

    static readonly Dictionary<string, long> Defaults = PressDefinitions.All.SelectMany(d => d.Parameters)
        .DistinctBy(p => p.Name).ToDictionary(p => p.Name, p => long.Parse(p.Default, CultureInfo.InvariantCulture));

    static long Default(string name) => Defaults[name];
}
