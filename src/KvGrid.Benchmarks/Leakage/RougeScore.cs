namespace KvGrid.Benchmarks.Leakage;

/// <summary>Precision, recall and F1 of one ROUGE variant (rouge_score's <c>Score</c> tuple).</summary>
public readonly record struct RougeScore(double Precision, double Recall, double F1)
{
    public static readonly RougeScore Zero = new(0, 0, 0);

    /// <summary>rouge_score's scoring.fmeasure: 2PR/(P+R), 0 when P+R is 0 (same evaluation order).</summary>
    public static RougeScore FromPrecisionRecall(double precision, double recall) =>
        new(precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
}

/// <summary>ROUGE-1 and ROUGE-L of one (reference, prediction) pair.</summary>
public readonly record struct RougeResult(RougeScore Rouge1, RougeScore RougeL);
