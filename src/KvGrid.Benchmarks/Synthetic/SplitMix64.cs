namespace KvGrid.Benchmarks.Synthetic;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014; Vigna's reference C code): a tiny PRNG whose sequence is fixed by its
/// definition, unlike System.Random, so synthetic data is the same on every platform and .NET version.
/// Bounded draws use rejection (<see cref="NextInt"/>) so they are unbiased and equally reproducible.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>The SplitMix64 output function (also used to derive independent per-example seeds).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, bound): draws are rejected below 2^64 mod bound, then reduced mod bound.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var n = (ulong)bound;
        var threshold = (0UL - n) % n;
        while (true)
        {
            var r = NextUInt64();
            if (r >= threshold)
            {
                return (int)(r % n);
            }
        }
    }

    /// <summary>A uniform integer in [min, max] (both inclusive).</summary>
    public int NextInt(int min, int max) => min + NextInt(max - min + 1);

    public T Pick<T>(IReadOnlyList<T> items) => items[NextInt(items.Count)];

    /// <summary>Fisher-Yates from the last element down, one <see cref="NextInt(int)"/> per position.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
