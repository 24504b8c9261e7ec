using KvGrid.Benchmarks.Fetching;

namespace KvGrid.Benchmarks.Tests.Fetching;

public sealed class DataSourceTests : IDisposable
{
    private readonly TestData.TempFolder _cacheFolder = new();

    private DataCache Cache => new(_cacheFolder.Path);

    [Fact]
    public void LocalFilesAndFoldersAreUsedAsIs()
    {
        var file = DataSource.Resolve(TestData.DefenseTemplatesPath, Cache);
        Assert.Equal(Path.GetFullPath(TestData.DefenseTemplatesPath), file.Path);
        Assert.False(file.IsDirectory);
        Assert.Null(file.DatasetName);

        var folder = DataSource.Resolve(TestData.AttacksRoot, Cache);
        Assert.True(folder.IsDirectory);
    }

    [Fact]
    public void UnfetchedDatasetTellsWhichFetchToRun()
    {
        var e = Assert.Throws<DataSourceException>(() => DataSource.Resolve("sys_ifeval_shuffled", Cache));
        Assert.Equal(
            $"dataset 'sys_ifeval_shuffled' not in the cache {Cache.CommitFolder}; run `./kvgrid data fetch sys_ifeval_shuffled`",
            e.Message);
    }

    [Fact]
    public void PartlyFetchedFolderDatasetIsMissing()
    {
        var attacks = PinnedManifest.Get(PinnedManifest.RaccoonAttacks);
        var first = attacks.Files[0];
        Directory.CreateDirectory(Path.GetDirectoryName(Cache.PathOf(first))!);
        File.Copy(LocalRawServer.LocalFileOf(first.UpstreamPath), Cache.PathOf(first));

        var e = Assert.Throws<DataSourceException>(() => DataSource.Resolve("raccoon_attacks", Cache));
        Assert.StartsWith($"{attacks.Files.Count - 1} of {attacks.Files.Count} files of dataset 'raccoon_attacks' not in the cache", e.Message);
        Assert.EndsWith("run `./kvgrid data fetch raccoon_attacks`", e.Message);
    }

    [Fact]
    public async Task FetchedDatasetsResolveToTheCache()
    {
        using var server = new LocalRawServer();
        using var http = new HttpClient();
        await new DataFetcher(http, Cache, server.BaseAddress).FetchAsync([PinnedManifest.RaccoonAttacks, PinnedManifest.SysIfEval]);

        var attacks = DataSource.Resolve("raccoon_attacks", Cache);
        Assert.True(attacks.IsDirectory);
        Assert.Equal("raccoon_attacks", attacks.DatasetName);
        Assert.Equal(59, KvGrid.Benchmarks.Datasets.RaccoonAttacks.LoadAll(attacks.Path).Count);

        var ifeval = DataSource.Resolve("sys_ifeval", Cache);
        Assert.False(ifeval.IsDirectory);
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestData.SharedData, "sys_ifeval", "sys_ifeval.jsonl")), File.ReadAllBytes(ifeval.Path));
    }

    [Fact]
    public void NeitherPathNorDatasetListsTheNames()
    {
        var e = Assert.Throws<DataSourceException>(() => DataSource.Resolve("no/such/thing.jsonl", Cache));
        Assert.Equal(
            "'no/such/thing.jsonl' is neither an existing file or folder nor a dataset name (sys_ifeval, sys_ifeval_shuffled, defense_template, raccoon_attacks)",
            e.Message);
    }

    [Fact]
    public void CacheRootFollowsXdgConvention()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var expected = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kvgrid", "data")
            : Path.Combine(xdg, "kvgrid", "data");
        Assert.Equal(expected, DataCache.DefaultRoot());
        Assert.Equal(Path.Combine(_cacheFolder.Path, PinnedManifest.Commit, "a b", "c"), Cache.PathOf("a b/c"));
    }

    public void Dispose() => _cacheFolder.Dispose();
}
