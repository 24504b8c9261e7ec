namespace KvGrid.Reports.Analysis;

/// <summary>
/// One item's counts in both arms of a paired comparison: successes over trials (or instructions) with the remedy
/// and with the plain press. The item is the cluster: its trials share a system prompt and are not independent.
/// </summary>
public readonly record struct PairedCluster(double TreatedHits, double TreatedCount, double BaselineHits, double BaselineCount);

/// <summary>
/// Percentile bootstrap for the difference of two pooled rates on paired clusters: each replicate draws as many
/// clusters as there are, with replacement, and recomputes sum(hits) / sum(count) in each arm on the same draw.
/// The CI is the 2.5th and 97.5th percentiles of the replicate differences (linear interpolation).
/// </summary>
public static class ClusterBootstrap
{
    public static (double Delta, double Low, double High) RateDifference(IReadOnlyList<PairedCluster> clusters, int replicates, int seed)
    {
        if (clusters.Count == 0) throw new ArgumentException("no clusters", nameof(clusters));
        var delta = Difference(clusters, Enumerable.Range(0, clusters.Count));
        if (replicates <= 0) return (delta, double.NaN, double.NaN);
        var rng = new Random(seed);
        var draws = new double[replicates];
        var pick = new int[clusters.Count];
        for (int b = 0; b < replicates; b++)
        {
            for (int i = 0; i < pick.Length; i++) pick[i] = rng.Next(clusters.Count);
            draws[b] = Difference(clusters, pick);
        }
        Array.Sort(draws);
        return (delta, Stats.Quantile(draws, 0.025), Stats.Quantile(draws, 0.975));
    }

    static double Difference(IReadOnlyList<PairedCluster> clusters, IEnumerable<int> picks)
    {
        double th = 0, tc = 0, bh = 0, bc = 0;
        foreach (var i in picks)
        {
            var c = clusters[i];
            th += c.TreatedHits; tc += c.TreatedCount; bh += c.BaselineHits; bc += c.BaselineCount;
        }
        return th / tc - bh / bc;
    }
}
