using static TorchSharp.torch;

namespace KvGrid.Compression;

/// <summary>
/// Turns one layer's scores [Hkv, L] into kept positions [Hkv, n_kept] (ascending int64) with torch.topk per KV
/// head, as kvpress. Whitelisted positions are kept first and excluded from the ranking (the fork's
/// force_keep_global); with fair spans, the remaining budget is split across the owned ranges in proportion to
/// their non-whitelisted sizes (<see cref="QuotaAllocation"/>) and each range keeps its own top scores.
/// </summary>
public static class KeptSetSelector
{
    public static Tensor Select(Tensor scores, int nKept, int[] whitelist, SpanLayout? fair)
    {
        using var scope = NewDisposeScope();
        long heads = scores.shape[0];
        int l = (int)scores.shape[1];
        if (nKept < 0 || nKept > l) throw new ArgumentOutOfRangeException(nameof(nKept), $"n_kept {nKept} must be within [0, {l}]");
        var device = scores.device;
        if (nKept == l) return arange(0, l, ScalarType.Int64, device).unsqueeze(0).expand(heads, l).contiguous().MoveToOuterDisposeScope();

        var ranked = scores;
        var parts = new List<Tensor>();
        if (whitelist.Length > 0)
        {
            var forced = tensor(whitelist.Select(x => (long)x).ToArray(), device: device);
            ranked = scores.index_fill(1, forced, float.NegativeInfinity);
            parts.Add(forced.unsqueeze(0).expand(heads, whitelist.Length));
        }
        int rest = nKept - whitelist.Length;
        if (fair is null)
        {
            if (rest > 0) parts.Add(ranked.topk(rest, 1).indexes);
        }
        else
        {
            var free = fair.Owned.Select(r => r.End - r.Start - CountWithin(whitelist, r.Start, r.End)).ToArray();
            var quotas = QuotaAllocation.Allocate(rest, free);
            for (int i = 0; i < quotas.Length; i++)
            {
                if (quotas[i] == 0) continue;
                var (start, end) = fair.Owned[i];
                parts.Add(ranked.narrow(1, start, end - start).topk(quotas[i], 1).indexes + start);
            }
        }
        var kept = parts.Count == 0 ? empty([heads, 0], ScalarType.Int64, device) : cat(parts, 1);
        return kept.sort(1).Values.MoveToOuterDisposeScope();
    }

    static int CountWithin(int[] sorted, int start, int end)
    {
        int lo = Array.BinarySearch(sorted, start), hi = Array.BinarySearch(sorted, end);
        if (lo < 0) lo = ~lo;
        if (hi < 0) hi = ~hi;
        return hi - lo;
    }
}
