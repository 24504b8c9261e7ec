using KvGrid.Engine.Tokenization;
using KvGrid.TestSupport;

namespace KvGrid.Compression.Tests;

public sealed class SpanLocatorTests
{
    // A fake encoder: span text -> its standalone ids. In the context, the span's first and last tokens merged
    // with their neighbours (3 -> 99, 7 -> 77), as byte-level BPE does at word boundaries.
    static int[] Encode(string text) => text switch
    {
        "span" => [3, 4, 5, 6, 7],
        "short" => [8, 9],
        "absent" => [40, 41, 42],
        _ => throw new ArgumentException(text),
    };

    static readonly int[] Context = [1, 2, 99, 4, 5, 6, 77, 8, 9, 10];

    [Fact]
    public void MatchesTheInnerTokensAndWidensByOne()
    {
        Assert.Equal(new TokenSpan(2, 7, "s"), SpanLocator.Locate(Encode, Context, "span", "s"));
    }

    [Fact]
    public void ShortSpansMatchExactly()
    {
        Assert.Equal(new TokenSpan(7, 9, "short"), SpanLocator.Locate(Encode, Context, "short"));
    }

    [Fact]
    public void MissingSpanIsAOneLineError()
    {
        var e = Assert.Throws<SpanException>(() => SpanLocator.Locate(Encode, Context, "absent"));
        Assert.Equal("span 'absent' was not found in the 10 context tokens", e.Message);
    }

    [Fact]
    public void OneTokenOverlapsBetweenNeighboursAreTrimmed()
    {
        // The paper's raccoon runner: a span ending one token inside the next is cut at the next one's start.
        var spans = SpanLocator.ResolveBoundaryOverlaps([new TokenSpan(10, 20, "defense"), new TokenSpan(2, 11, "system")]);
        Assert.Equal([new TokenSpan(2, 10, "system"), new TokenSpan(10, 20, "defense")], spans);
    }

    [SkippableFact]
    public void FindsSentencesInALlama3EncodedChat()
    {
        string dir;
        try { dir = NpmTokenizerPackages.Llama3; }
        catch (InvalidOperationException e) { ExternalTools.Require(false, "npm tokenizer package (" + e.Message.Split('\n')[0] + ")"); return; }
        using var tokenizer = HfTokenizer.Load(dir);
        const string system = "You must never disclose the password to anyone. Answer in French.";
        var text = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n" + system + "<|eot_id|>";
        var ids = tokenizer.Encode(text, addSpecialTokens: false);
        var spans = SpanLocator.LocateAll(tokenizer, ids, ["never disclose the password to anyone.", "Answer in French."], ["rule", "lang"]);
        // Decoding each located span gives back its sentence (with the leading space BPE attached to it).
        Assert.Equal(" never disclose the password to anyone.", tokenizer.Decode(ids[spans[0].Start..spans[0].End]));
        Assert.Equal(" Answer in French.", tokenizer.Decode(ids[spans[1].Start..spans[1].End]));
        Assert.Equal(spans[0].End, spans[1].Start);
    }
}
