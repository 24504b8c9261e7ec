using KvGrid.Engine.Caching;
using KvGrid.Engine.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace KvGrid.Engine.Generation;

/// <summary>
/// Decodes continuations on top of a (possibly compressed) context. Several continuations that share a context
/// run as one batch: their prompt suffixes are left-padded and fed in one step, each row with its own positions
/// (starting at the context length: pruned caches keep original positions), then decoded together.
/// </summary>
public static class TextGenerator
{
    public static GenerationResult Generate(DecoderModel model, ContextCache context, IReadOnlyList<int> suffix, GenerationOptions options) =>
        GenerateBatch(model, context, [suffix], options)[0];

    public static GenerationResult[] GenerateBatch(DecoderModel model, ContextCache context, IReadOnlyList<IReadOnlyList<int>> suffixes, GenerationOptions options,
        CancellationToken cancellationToken = default)
    {
        int b = suffixes.Count;
        if (b == 0) return [];
        if (options.MaxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(options), "max_new_tokens must be >= 0");
        int s = suffixes.Max(x => x.Count);
        using var state = new DecodeState(context, b, s + Math.Max(options.MaxNewTokens, 1));
        var ids = new List<int>[b];
        var entropies = new List<double>[b];
        var done = new bool[b];
        for (int r = 0; r < b; r++) { ids[r] = []; entropies[r] = []; }
        if (options.MaxNewTokens == 0) return Results();

        var stop = options.StopIds.ToHashSet();
        using var rng = options.Temperature > 0 ? new torch.Generator((ulong)options.Seed, model.Device) : null;
        Tensor logits = FirstLogits(model, context, state, suffixes, s);
        for (int step = 0; ; step++)
        {
            var (next, entropy) = Choose(logits, options, rng);
            logits.Dispose();
            for (int r = 0; r < b; r++)
            {
                if (done[r]) continue;
                ids[r].Add(next[r]);
                entropies[r].Add(entropy[r]);
                if (stop.Contains(next[r])) done[r] = true;
            }
            if (step + 1 >= options.MaxNewTokens || done.All(d => d)) break;
            cancellationToken.ThrowIfCancellationRequested();
            var stepIds = new long[b, 1];
            var valid = new bool[b, 1];
            for (int r = 0; r < b; r++) { stepIds[r, 0] = next[r]; valid[r, 0] = !done[r]; }
            logits = model.Step(state, stepIds, valid);
        }
        return Results();

        GenerationResult[] Results() => Enumerable.Range(0, b)
            .Select(r => new GenerationResult(ids[r].ToArray(), entropies[r].ToArray(), done[r], context.ContextLength + suffixes[r].Count)).ToArray();
    }

    /// <summary>Logits for each row's first new token: after its suffix, or the context's own last logits for an empty suffix.</summary>
    static Tensor FirstLogits(DecoderModel model, ContextCache context, DecodeState state, IReadOnlyList<IReadOnlyList<int>> suffixes, int s)
    {
        int b = suffixes.Count;
        if (context.LastLogits is null && suffixes.Any(x => x.Count == 0))
            throw new InvalidOperationException("an empty suffix needs the context's last logits");
        if (s == 0) return context.LastLogits!.unsqueeze(0).expand(b, -1).clone();
        var ids = new long[b, s];
        var valid = new bool[b, s];
        for (int r = 0; r < b; r++)
        {
            int pad = s - suffixes[r].Count;
            for (int j = 0; j < suffixes[r].Count; j++) { ids[r, pad + j] = suffixes[r][j]; valid[r, pad + j] = true; }
        }
        var logits = model.Step(state, ids, valid);
        for (int r = 0; r < b; r++)
            if (suffixes[r].Count == 0) logits[r].copy_(context.LastLogits!);
        return logits;
    }

    /// <summary>Next token per row (greedy argmax, or seeded sampling with temperature/top-k/top-p as HF) and the entropy of the distribution.</summary>
    static (int[] Next, double[] Entropy) Choose(Tensor logits, GenerationOptions options, torch.Generator? rng)
    {
        using var scope = NewDisposeScope();
        var logProbs = logits.log_softmax(-1);
        var entropy = (logProbs.exp() * logProbs).sum(-1).neg().to(ScalarType.Float64).cpu().data<double>().ToArray();
        Tensor next;
        if (options.Temperature <= 0) next = logits.argmax(-1);
        else
        {
            var scores = logits / options.Temperature;
            if (options.TopK > 0 && options.TopK < scores.shape[^1])
            {
                var kth = scores.topk(options.TopK, -1).values.narrow(-1, options.TopK - 1, 1);
                scores = scores.masked_fill(scores < kth, float.NegativeInfinity);
            }
            if (options.TopP < 1.0)
            {
                var (sorted, order) = scores.sort(-1, descending: false);
                var cumulative = sorted.softmax(-1).cumsum(-1);
                var removeSorted = cumulative <= (1 - options.TopP);
                removeSorted[.., ^1] = false; // keep at least one token
                var remove = removeSorted.scatter(-1, order, removeSorted);
                scores = scores.masked_fill(remove, float.NegativeInfinity);
            }
            next = multinomial(scores.softmax(-1), 1, false, rng).squeeze(-1);
        }
        var ids = next.to(ScalarType.Int64).cpu().data<long>().Select(x => (int)x).ToArray();
        return (ids, entropy);
    }
}
