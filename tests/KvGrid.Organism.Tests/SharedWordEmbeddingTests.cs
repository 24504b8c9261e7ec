using KvGrid.Organism;
using static TorchSharp.torch;

namespace KvGrid.Organism.Tests;

public class SharedWordEmbeddingTests
{
    static readonly string[] Vocabulary = ["<s>", " okay", "Okay", "OKAY", "okay", " cat", "!", " 7"];

    [Fact]
    public void Variants_of_a_word_fold_case_and_leading_space_and_single_pieces_share_nothing()
    {
        var groups = SharedWordEmbedding.Groups(Vocabulary);
        Assert.Equal([1, 2, 3, 4], groups.Select(g => g.Piece));
        Assert.Single(groups.Select(g => g.Group).Distinct());
    }

    [Fact]
    public void A_gradient_on_one_variant_moves_every_variant_by_the_same_shared_step_and_nothing_else()
    {
        using var embedding = randn(Vocabulary.Length, 4).requires_grad_(true);
        var start = embedding.detach().clone();
        using var shared = new SharedWordEmbedding(embedding, Vocabulary, weightDecay: 0);
        // Loss touching only " okay": its row's gradient is the only one, as if " okay" alone were seen.
        var loss = embedding[1].sum();
        loss.backward();
        shared.Step(learningRate: 0.1);

        var moved = (embedding.detach() - start);
        for (int variant = 2; variant <= 4; variant++)
            Assert.True(moved[variant].allclose(moved[1], 1e-6, 1e-7), $"variant {Vocabulary[variant]}");
        Assert.True(moved[1].abs().sum().item<float>() > 0.1f, "the shared row did not move");
        foreach (var other in new[] { 0, 5, 6, 7 })
            Assert.Equal(0f, moved[other].abs().sum().item<float>());
    }
}
