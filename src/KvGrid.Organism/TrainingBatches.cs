namespace KvGrid.Organism;

/// <summary>One padded training batch: ids and key validity [B, S], and next-token targets [B, S] (-100 = no loss).</summary>
public sealed record TrainingBatch(long[,] Ids, bool[,] Valid, long[,] Targets, int LossTokens, int ValidTokens);

/// <summary>
/// Batches of fresh conversations, never repeating an example: the suite is drawn in order (example 0, 1, ...),
/// a pool of batches is sorted by length so each batch needs little padding, and the pool's batches are shuffled.
/// Targets are the assistant tokens only (the response and its closing &lt;|eot_id|&gt;).
/// </summary>
/// <param name="conversationsOf">the training conversations of suite example i (suite turns, plus drills).</param>
public sealed class TrainingBatches(ConversationEncoder encoder, Func<int, IEnumerable<Conversation>> conversationsOf, ulong seed, int batchSize, int poolBatches = 8)
{
    public const long Ignore = -100;
    readonly Random _shuffle = new(unchecked((int)seed));
    readonly Queue<TrainingBatch> _ready = new();
    int _nextExample;

    /// <summary>How many suite examples have been consumed so far.</summary>
    public int ExamplesUsed => _nextExample;

    public TrainingBatch Next()
    {
        if (_ready.Count == 0) Refill();
        return _ready.Dequeue();
    }

    void Refill()
    {
        var pool = new List<EncodedConversation>();
        while (pool.Count < batchSize * poolBatches)
            pool.AddRange(conversationsOf(_nextExample++).Select(encoder.Encode));
        var sorted = pool.OrderBy(c => c.Ids.Length).ToList();
        var batches = sorted.Chunk(batchSize).Where(b => b.Length == batchSize).Select(Pad).ToList();
        // Fisher-Yates with the seeded System.Random (its seeded sequence is fixed across .NET versions).
        for (int i = batches.Count - 1; i > 0; i--)
        {
            int j = _shuffle.Next(i + 1);
            (batches[i], batches[j]) = (batches[j], batches[i]);
        }
        foreach (var b in batches) _ready.Enqueue(b);
    }

    static TrainingBatch Pad(EncodedConversation[] rows)
    {
        int s = rows.Max(r => r.Ids.Length);
        var ids = new long[rows.Length, s];
        var valid = new bool[rows.Length, s];
        var targets = new long[rows.Length, s];
        int lossTokens = 0, validTokens = 0;
        for (int r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            for (int j = 0; j < s; j++)
            {
                bool inside = j < row.Ids.Length;
                ids[r, j] = inside ? row.Ids[j] : OrganismTokenizer.EndOfTextId;
                valid[r, j] = inside;
                if (inside) validTokens++;
                // Position j predicts token j + 1; only assistant tokens are targets.
                bool target = j + 1 < row.Ids.Length && j + 1 >= row.PromptLength;
                targets[r, j] = target ? row.Ids[j + 1] : Ignore;
                if (target) lossTokens++;
            }
        }
        return new TrainingBatch(ids, valid, targets, lossTokens, validTokens);
    }
}
