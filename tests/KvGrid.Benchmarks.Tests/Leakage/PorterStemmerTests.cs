using System.IO.Compression;
using KvGrid.Benchmarks.Leakage;

namespace KvGrid.Benchmarks.Tests.Leakage;

public class PorterStemmerTests
{
    [Fact]
    public void AgreesWithNltkOnEveryFixtureWord()
    {
        // (token, NLTK 3.8 PorterStemmer().stem(token)) for ~75k tokens: see Fixtures/README.md.
        using var file = File.OpenRead(TestData.Fixture("porter_stems.tsv.gz"));
        using var reader = new StreamReader(new GZipStream(file, CompressionMode.Decompress));
        var total = 0;
        var mismatches = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t');
            var word = line[..tab];
            var expected = line[(tab + 1)..];
            total++;
            var actual = PorterStemmer.Stem(word);
            if (actual != expected)
            {
                mismatches.Add($"{word}: expected {expected}, got {actual}");
            }
        }

        Assert.True(total > 70_000, $"fixture too small: {total}");
        Assert.True(mismatches.Count == 0,
            $"{mismatches.Count} of {total} differ: " + string.Join("; ", mismatches.Take(20)));
    }

    [Theory]
    // NLTK_EXTENSIONS irregular forms and rules that the original algorithm would treat differently.
    [InlineData("skies", "sky")]      // original: 'ski'
    [InlineData("news", "news")]      // original: 'new'
    [InlineData("dying", "die")]      // original: 'dy'
    [InlineData("dies", "die")]       // four-letter 'ies' -> 'ie'
    [InlineData("flies", "fli")]
    [InlineData("spied", "spi")]
    [InlineData("happy", "happi")]
    [InlineData("enjoy", "enjoy")]    // y after a vowel stays
    [InlineData("saying", "say")]
    [InlineData("generously", "gener")]
    // The paper's examples (Porter 1980), where NLTK agrees with the original.
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("hopping", "hop")]
    [InlineData("filing", "file")]
    [InlineData("relational", "relat")]
    [InlineData("controll", "control")]
    [InlineData("is", "is")]          // two letters: untouched
    public void KnownStems(string word, string stem) => Assert.Equal(stem, PorterStemmer.Stem(word));
}
