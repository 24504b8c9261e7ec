using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace KvGrid.Organism;

/// <summary>
/// Training-time reparametrisation of the embedding matrix: each row is E[t] = B[t] + S[word(t)], where word(t)
/// folds case and the leading space (" okay", "okay", "Okay", "OKAY" share S["okay"]). Rules such as "start with
/// the word Okay" under "all lowercase" need " Okay" in the prompt to raise "okay" at the answer's start; with
/// tied embeddings a copy head can only do that if the variants share a direction, and a rare variant gets too
/// little gradient to learn one alone. S receives the summed gradient of its variants (its own AdamW), B is the
/// model's embedding parameter; after each step the change in S is added into the embedding, so the model (and
/// the saved checkpoint) stays a plain Llama with one embedding matrix: E = B + S is exact, not an approximation.
/// </summary>
public sealed partial class SharedWordEmbedding : IDisposable
{
    readonly Tensor embedding, rows, groups;
    readonly TorchSharp.Modules.Parameter shared;
    readonly optim.Optimizer optimizer;

    /// <summary>Variant groups (words with at least two pieces) as (piece id, group) pairs, in vocabulary order.</summary>
    public static IReadOnlyList<(int Piece, int Group)> Groups(IReadOnlyList<string> vocabulary)
    {
        var words = Enumerable.Range(0, vocabulary.Count).Where(i => Word().IsMatch(vocabulary[i]))
            .GroupBy(i => vocabulary[i].TrimStart(' ').ToLowerInvariant()).Where(g => g.Count() >= 2).ToList();
        return [.. words.SelectMany((g, group) => g.Select(piece => (piece, group))).OrderBy(p => p.piece)];
    }

    [GeneratedRegex("^ ?[A-Za-z]+$")]
    private static partial Regex Word();

    public SharedWordEmbedding(Tensor embedding, IReadOnlyList<string> vocabulary, double weightDecay)
    {
        this.embedding = embedding;
        var pairs = Groups(vocabulary);
        rows = tensor(pairs.Select(p => (long)p.Piece).ToArray());
        groups = tensor(pairs.Select(p => (long)p.Group).ToArray());
        int count = pairs.Count == 0 ? 0 : pairs.Max(p => p.Group) + 1;
        shared = new TorchSharp.Modules.Parameter(zeros(count, embedding.shape[1]));
        optimizer = optim.AdamW([shared], beta1: 0.9, beta2: 0.95, weight_decay: weightDecay);
    }

    public int GroupCount => (int)shared.shape[0];

    /// <summary>After backward (and clipping): S's gradient is the sum of its variants' gradients; then one AdamW step on S.</summary>
    public void Step(double learningRate)
    {
        if (GroupCount == 0 || embedding.grad is not { } grad) return;
        using var scope = NewDisposeScope();
        Tensor before;
        using (no_grad())
        {
            shared.grad = zeros_like(shared).index_add_(0, groups, grad.index_select(0, rows), 1).MoveToOuterDisposeScope();
            before = shared.detach().clone();
        }
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
        optimizer.step();
        using (no_grad())
            embedding.index_add_(0, rows, (shared - before).index_select(0, groups), 1);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        shared.Dispose();
        rows.Dispose();
        groups.Dispose();
    }
}
