namespace KvGrid.Compression;

/// <summary>
/// Splits a budget across spans in proportion to their sizes with cumulative flooring: span i gets
/// floor(B * C_i / M) - floor(B * C_(i-1) / M), where C_i is the size of spans 0..i and M the total. Quotas sum to B
/// exactly, each is within one of its exact share and never exceeds its span, and for two spans this is the fork's
/// rule (earlier = n_kept * len_earlier // L, later = the rest).
/// </summary>
public static class QuotaAllocation
{
    public static int[] Allocate(int budget, IReadOnlyList<int> sizes)
    {
        long total = sizes.Sum(s => (long)s);
        if (budget < 0 || budget > total) throw new ArgumentOutOfRangeException(nameof(budget), $"budget {budget} must be within [0, {total}]");
        var quotas = new int[sizes.Count];
        if (total == 0) return quotas;
        long cumulative = 0, before = 0;
        for (int i = 0; i < sizes.Count; i++)
        {
            cumulative += sizes[i];
            long upTo = budget * cumulative / total;
            quotas[i] = (int)(upTo - before);
            before = upTo;
        }
        return quotas;
    }
}
