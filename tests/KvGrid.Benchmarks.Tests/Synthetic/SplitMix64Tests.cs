using KvGrid.Benchmarks.Synthetic;

namespace KvGrid.Benchmarks.Tests.Synthetic;

public class SplitMix64Tests
{
    [Fact]
    public void MatchesTheReferenceSequence()
    {
        // Vigna's splitmix64.c seeded with 1234567 (values also reproduced with an independent Python port).
        var rng = new SplitMix64(1234567);
        Assert.Equal(
            [6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL, 4593380528125082431UL, 16408922859458223821UL],
            Enumerable.Range(0, 5).Select(_ => rng.NextUInt64()));

        var zero = new SplitMix64(0);
        Assert.Equal([16294208416658607535UL, 7960286522194355700UL, 487617019471545679UL],
            Enumerable.Range(0, 3).Select(_ => zero.NextUInt64()));
    }

    [Fact]
    public void BoundedDrawsUseRejectionThenModulo()
    {
        // Python port: threshold = (2**64 - n) % n; draw until r >= threshold; return r % n.
        var rng = new SplitMix64(42);
        Assert.Equal([3, 1, 8, 4, 0, 2, 5, 8, 5, 4, 7, 6], Enumerable.Range(0, 12).Select(_ => rng.NextInt(10)));
        var three = new SplitMix64(42);
        Assert.Equal([1, 1, 0, 0, 1, 0, 1, 2, 1, 2, 2, 1], Enumerable.Range(0, 12).Select(_ => three.NextInt(3)));
    }

    [Fact]
    public void InclusiveRangeStaysInBounds()
    {
        var rng = new SplitMix64(7);
        var seen = Enumerable.Range(0, 1000).Select(_ => rng.NextInt(2, 4)).ToHashSet();
        Assert.Equal([2, 3, 4], seen.Order());
    }
}
