using KvGrid.Contracts;

namespace KvGrid.Sweeps.Tests;

/// <summary>Content-derived ids: same content, same ids; any content change, new ids; layout and comments do not count.</summary>
public sealed class IdentityTests(SpecFixture f) : IClassFixture<SpecFixture>
{
    private string Base => f.Raccoon(remedies: "remedies: [none, whitelist]");

    private static IReadOnlyList<string> TrialIdsOf(SweepExpansion x) => x.Trials().Select(t => t.TrialId).ToList();

    [Fact]
    public void TwoParsesGiveTheSameIds()
    {
        var a = f.Expand(Base);
        var b = f.Expand(Base);
        Assert.Equal(a.SweepId, b.SweepId);
        Assert.Equal(a.Contexts.Select(c => c.ContextId), b.Contexts.Select(c => c.ContextId));
        Assert.Equal(TrialIdsOf(a), TrialIdsOf(b));
        Assert.All(a.Contexts, c => Assert.Equal(a.SweepId, c.SweepId));
    }

    [Fact]
    public void IdsAre32LowercaseHexDigitsAndDistinct()
    {
        var x = f.Expand(Base);
        var trialIds = TrialIdsOf(x);
        Assert.All(trialIds.Append(x.SweepId).Concat(x.Contexts.Select(c => c.ContextId)), id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(trialIds.Count, trialIds.Distinct().Count());
        Assert.Equal(x.Contexts.Count, x.Contexts.Select(c => c.ContextId).Distinct().Count());
        Assert.Equal(x.TrialCount, trialIds.Count);
    }

    [Fact]
    public void WhitespaceCommentsAndStyleDoNotChangeTheSweepId()
    {
        var block = Base
            .Replace("presses: [knorm]", "# the press\npresses:\n  - knorm   # scores by key norm", StringComparison.Ordinal)
            .Replace("ratios: [0.0, 0.5]", "ratios:   [ 0.5,   0.0 ]\n\n", StringComparison.Ordinal);
        Assert.NotEqual(Base, block);
        Assert.Equal(f.Parse(Base).SweepId, f.Parse(block).SweepId);
    }

    [Fact]
    public void DescriptionIsDocumentationNotContent()
    {
        Assert.Equal(f.Parse(Base).SweepId, f.Parse(Base + "description: first try\n").SweepId);
    }

    [Fact]
    public void ExplicitDefaultsDoNotChangeTheSweepId()
    {
        var explicitDefaults = Base + "decoding: { max_new_tokens: 256, temperature: 0, seed: 42 }\nrepetitions: 1\n";
        Assert.Equal(f.Parse(Base).SweepId, f.Parse(explicitDefaults).SweepId);
        var snapkv = f.Raccoon(presses: "presses: [snapkv]");
        var snapkvExplicit = f.Raccoon(presses: "presses: [{ name: snapkv, window_size: 16, kernel_size: 5 }]");
        Assert.Equal(TrialIdsOf(f.Expand(snapkv)), TrialIdsOf(f.Expand(snapkvExplicit)));
        Assert.Equal(TrialIdsOf(f.Expand(f.Raccoon(presses: "presses: [h2o]"))), TrialIdsOf(f.Expand(f.Raccoon(presses: "presses: [observed_attention]"))));
    }

    [Fact]
    public void AddingARatioKeepsTheSharedTrialIds()
    {
        var one = f.Expand(f.Raccoon(ratios: "ratios: [0.5]"));
        var two = f.Expand(f.Raccoon(ratios: "ratios: [0.0, 0.5]"));
        Assert.NotEqual(one.SweepId, two.SweepId);
        Assert.Equal(one.Contexts[0].ContextId, two.Contexts[0].ContextId); // ratios are not part of the prefill's content
        var shared = TrialIdsOf(two).Intersect(TrialIdsOf(one)).Count();
        Assert.Equal(TrialIdsOf(one).Count, shared);
    }

    [Fact]
    public void RenamingTheSweepChangesOnlyTheSweepId()
    {
        var renamed = Base.Replace("name: t", "name: t2", StringComparison.Ordinal);
        var a = f.Expand(Base);
        var b = f.Expand(renamed);
        Assert.NotEqual(a.SweepId, b.SweepId);
        Assert.Equal(TrialIdsOf(a), TrialIdsOf(b));
    }

    [Fact]
    public void ContentChangesChangeContextAndTrialIds()
    {
        var baseline = f.Expand(Base).Contexts[0];
        var ratio = baseline.Ratios[0];
        var turn = baseline.Turns[0];
        var id = TrialIds.For(baseline, ratio, turn);
        Assert.Equal(baseline.ContextId, ContextIds.For(baseline));
        Assert.NotEqual(id, TrialIds.For(baseline, 0.1, turn));
        Assert.NotEqual(id, TrialIds.For(baseline, ratio, turn with { Text = turn.Text + " " }));
        Assert.NotEqual(id, TrialIds.For(baseline, ratio, turn with { TurnId = "x" }));

        // A changed context gets a new context id, hence new trial ids.
        string Rekeyed(ContextWork changed) => TrialIds.For(changed with { ContextId = ContextIds.For(changed) }, ratio, turn);
        Assert.NotEqual(id, Rekeyed(baseline with { SystemMessage = baseline.SystemMessage + "." }));
        Assert.NotEqual(id, Rekeyed(baseline with { Model = baseline.Model with { DType = "float16" } }));
        Assert.NotEqual(id, Rekeyed(baseline with { Model = baseline.Model with { Path = "/elsewhere" } }));
        Assert.NotEqual(id, Rekeyed(baseline with { Press = new PressRef("knorm", new Dictionary<string, string> { ["x"] = "1" }) }));
        Assert.NotEqual(id, Rekeyed(baseline with { Remedy = new RemedyRef("whitelist", true, null, false) }));
        Assert.NotEqual(id, Rekeyed(baseline with { Decoding = baseline.Decoding with { MaxNewTokens = 255 } }));
        Assert.NotEqual(id, Rekeyed(baseline with { Repetition = 1 }));
        Assert.NotEqual(id, Rekeyed(baseline with { Spans = baseline.Spans.Skip(1).ToList() }));
        Assert.NotEqual(id, Rekeyed(baseline with { ItemId = "other" }));

        // Not content: which sweep asked for it, the device kind that may run it, the other ratios and turns.
        Assert.Equal(id, Rekeyed(baseline with { SweepId = "other" }));
        Assert.Equal(id, Rekeyed(baseline with { Model = baseline.Model with { Device = "cuda" } }));
        Assert.Equal(id, Rekeyed(baseline with { Ratios = [ratio], Turns = [turn] }));
    }

    [Fact]
    public void ChangingAPressParameterChangesTheSweepAndTrialIds()
    {
        var a = f.Expand(f.Raccoon(presses: "presses: [{ name: snapkv, window_size: 16 }]"));
        var b = f.Expand(f.Raccoon(presses: "presses: [{ name: snapkv, window_size: 32 }]"));
        Assert.NotEqual(a.SweepId, b.SweepId);
        Assert.Empty(TrialIdsOf(a).Intersect(TrialIdsOf(b)));
    }
}
