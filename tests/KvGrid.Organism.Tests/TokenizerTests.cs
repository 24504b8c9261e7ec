using KvGrid.Benchmarks.Synthetic;
using KvGrid.Engine.Tokenization;
using KvGrid.Organism;
using KvGrid.TestSupport;

namespace KvGrid.Organism.Tests;

public class TokenizerTests
{
    static (TempDir Dir, HfTokenizer Tokenizer, ChatTemplate Template) Build()
    {
        var dir = new TempDir();
        OrganismTokenizer.Write(dir.Path, OrganismTokenizer.BuildVocabulary(OrganismCorpus.Texts(42, 400)));
        return (dir, HfTokenizer.Load(dir.Path), ChatTemplate.Load(dir.Path)!);
    }

    [Fact]
    public void Held_out_texts_round_trip_through_the_hf_library_without_unknown_pieces()
    {
        var (dir, tokenizer, _) = Build();
        using var _d = dir;
        using var _t = tokenizer;
        // A different seed than the vocabulary's: every word must still be covered (the language is closed).
        foreach (var text in OrganismCorpus.Texts(2026, 40).Distinct())
        {
            var ids = tokenizer.Encode(text, addSpecialTokens: false);
            Assert.DoesNotContain(OrganismTokenizer.UnknownId, ids);
            Assert.Equal(text, tokenizer.Decode(ids));
        }
    }

    [Fact]
    public void Pieces_are_words_with_their_leading_space_digits_and_single_punctuation()
    {
        var (dir, tokenizer, _) = Build();
        using var _d = dir;
        using var _t = tokenizer;
        var text = "The secret code is amber-river-3.";
        var ids = tokenizer.Encode(text, addSpecialTokens: false);
        // "The", " secret", " code", " is", " amber", "-", "river", "-", "3", "."
        Assert.Equal(10, ids.Length);
        Assert.Equal(["The", " secret", " code", " is", " amber", "-", "river", "-", "3", "."], OrganismTokenizer.Split(text));
    }

    [Fact]
    public void Add_special_tokens_prepends_bos_as_llama_3_does()
    {
        var (dir, tokenizer, _) = Build();
        using var _d = dir;
        using var _t = tokenizer;
        var ids = tokenizer.Encode("Hello", addSpecialTokens: true);
        Assert.Equal(OrganismTokenizer.BosId, ids[0]);
        Assert.Equal(2, ids.Length);
    }

    [Fact]
    public void System_only_rendering_is_a_token_prefix_of_system_plus_user()
    {
        var (dir, tokenizer, template) = Build();
        using var _d = dir;
        using var _t = tokenizer;
        var example = SyntheticSuite.GenerateExample(2026, 3);
        var system = tokenizer.Encode(template.Render([new("system", example.Defended.Text)], false), addSpecialTokens: false);
        var full = tokenizer.Encode(template.Render([new("system", example.Defended.Text), new("user", example.AttackTurns[0].User)], true), addSpecialTokens: false);
        Assert.True(full.Length > system.Length);
        Assert.Equal(system, full[..system.Length]);
        Assert.Equal(OrganismTokenizer.BosId, system[0]);
        Assert.Equal(OrganismTokenizer.EotId, system[^1]);
        // The generation prompt ends with the assistant header and a blank line, as Llama 3's.
        Assert.Equal("<|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render([new("user", "x")], true)[(template.Render([new("user", "x")], false).Length)..]);
    }
}
