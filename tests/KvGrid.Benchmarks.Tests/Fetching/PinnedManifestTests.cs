using System.Security.Cryptography;
using KvGrid.Benchmarks.Fetching;

namespace KvGrid.Benchmarks.Tests.Fetching;

public class PinnedManifestTests
{
    [Fact]
    public void ReadmeHashesArePinned()
    {
        // The three hashes as listed in shared/data/README.md.
        Assert.Equal("1342acbe3979bc54297f504f8fe7449f7456a9c8c1690afaa7346a8dcf8b6fa3",
            PinnedManifest.Get("sys_ifeval").Files.Single().Sha256);
        Assert.Equal("775602f57a3d326b99fef8d60c6d677265bc14b992b2cc7cd147e8a9c52317d5",
            PinnedManifest.Get("sys_ifeval_shuffled").Files.Single().Sha256);
        Assert.Equal("cea7e98713c2b84ad7e6e9a396d48c3e10ba389f92682ce5b3a44a113ce20c66",
            PinnedManifest.Get("defense_template").Files.Single().Sha256);
        Assert.Equal("kv_cache_compression/benchmarks/raccoon/defenses/defense_template.json",
            PinnedManifest.Get("defense_template").RootUpstreamPath);
    }

    [Fact]
    public void EveryAttackPromptFileIsPinnedWithItsHashAndSize()
    {
        var attacks = PinnedManifest.Get(PinnedManifest.RaccoonAttacks);
        Assert.True(attacks.IsFolder);
        Assert.Equal("kv_cache_compression/benchmarks/raccoon/attacks", attacks.RootUpstreamPath);

        var local = Directory.EnumerateFiles(TestData.AttacksRoot, "prompt*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(TestData.AttacksRoot, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(local, attacks.Files.Select(f => f.UpstreamPath[(attacks.RootUpstreamPath.Length + 1)..]).Order(StringComparer.Ordinal));
        foreach (var file in attacks.Files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(TestData.AttacksRoot, file.UpstreamPath[(attacks.RootUpstreamPath.Length + 1)..]));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
            Assert.Equal(bytes.Length, file.Size);
        }
    }

    [Fact]
    public void MalformedManifestLinesAreReported()
    {
        var e = Assert.Throws<DataFileException>(() =>
            PinnedManifest.Parse(new StringReader("# header\nname\tnot-a-hash\t1\tpath\n"), "pinned-files.tsv"));
        Assert.StartsWith("pinned-files.tsv:2: ", e.Message);
    }
}
