namespace KvGrid.Benchmarks.Leakage;

/// <summary>
/// ROUGE-1 and ROUGE-L as rouge_score's <c>RougeScorer(['rouge1', 'rougeL'], use_stemmer=True)</c> computes them
/// (rouge/rouge_scorer.py): the reference is the target, the response the prediction.
/// </summary>
public static class RougeScorer
{
    /// <summary>Scores a prediction against a reference (target) text.</summary>
    public static RougeResult Score(string reference, string prediction) =>
        Score(RougeTokenizer.Tokenize(reference), RougeTokenizer.Tokenize(prediction));

    /// <summary>Scores already tokenized texts (tokens from <see cref="RougeTokenizer"/>).</summary>
    public static RougeResult Score(IReadOnlyList<string> referenceTokens, IReadOnlyList<string> predictionTokens)
    {
        // Map tokens to small integers once: counting and the LCS inner loop then compare ints.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var reference = ToIds(referenceTokens, ids);
        var prediction = ToIds(predictionTokens, ids);
        return new RougeResult(Rouge1(reference, prediction, ids.Count), RougeL(reference, prediction));
    }

    private static int[] ToIds(IReadOnlyList<string> tokens, Dictionary<string, int> ids)
    {
        var result = new int[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!ids.TryGetValue(tokens[i], out var id))
            {
                id = ids.Count;
                ids.Add(tokens[i], id);
            }

            result[i] = id;
        }

        return result;
    }

    /// <summary>Clipped unigram overlap; counts are guarded with max(count, 1) as rouge_score does.</summary>
    internal static RougeScore Rouge1(int[] reference, int[] prediction, int vocabularySize)
    {
        var referenceCounts = new int[vocabularySize];
        var predictionCounts = new int[vocabularySize];
        foreach (var id in reference)
        {
            referenceCounts[id]++;
        }

        foreach (var id in prediction)
        {
            predictionCounts[id]++;
        }

        var overlap = 0;
        for (var id = 0; id < vocabularySize; id++)
        {
            overlap += Math.Min(referenceCounts[id], predictionCounts[id]);
        }

        var precision = (double)overlap / Math.Max(prediction.Length, 1);
        var recall = (double)overlap / Math.Max(reference.Length, 1);
        return RougeScore.FromPrecisionRecall(precision, recall);
    }

    /// <summary>LCS-based ROUGE-L; all zeros when either side has no tokens.</summary>
    internal static RougeScore RougeL(int[] reference, int[] prediction)
    {
        if (reference.Length == 0 || prediction.Length == 0)
        {
            return RougeScore.Zero;
        }

        var lcs = LcsLength(reference, prediction);
        return RougeScore.FromPrecisionRecall((double)lcs / prediction.Length, (double)lcs / reference.Length);
    }

    /// <summary>Length of the longest common subsequence, O(nm) time with two rows of O(m) memory.</summary>
    internal static int LcsLength(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            var ai = a[i - 1];
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = ai == b[j - 1]
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
