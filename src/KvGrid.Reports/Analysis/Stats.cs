namespace KvGrid.Reports.Analysis;

/// <summary>Small statistics helpers shared by the analyses.</summary>
public static class Stats
{
    /// <summary>The q-quantile of sorted values with linear interpolation between order statistics (numpy's default, type 7).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new ArgumentException("no values", nameof(sorted));
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public static double Fraction(int numerator, int denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;

    /// <summary>The instruction family: the part of an IFEval id before the colon ("length_constraints:number_words" -> "length_constraints").</summary>
    public static string Family(string instructionId)
    {
        var colon = instructionId.IndexOf(':');
        return colon < 0 ? instructionId : instructionId[..colon];
    }

    /// <summary>A stable 32-bit FNV-1a hash of a text (string.GetHashCode is randomised per process).</summary>
    public static int StableHash(string text)
    {
        unchecked
        {
            uint h = 2166136261;
            foreach (var ch in text) { h ^= ch; h *= 16777619; }
            return (int)h;
        }
    }
}
