using System.Text;
using KvGrid.Benchmarks.Fetching;

namespace KvGrid.Benchmarks.Tests.Fetching;

public sealed class DataFetcherTests : IDisposable
{
    private readonly LocalRawServer _server = new();
    private readonly TestData.TempFolder _cacheFolder = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private DataCache Cache => new(_cacheFolder.Path);

    private DataFetcher Fetcher(Uri? baseAddress = null) => new(_http, Cache, baseAddress ?? _server.BaseAddress, retryDelay: TimeSpan.FromMilliseconds(10));

    [Fact]
    public async Task FetchesEveryDatasetAndVerifiesHashes()
    {
        var progress = new List<FetchProgress>();
        var report = await Fetcher().FetchAsync([], new SynchronousProgress(progress));

        var expectedFiles = PinnedManifest.Datasets.Sum(d => d.Files.Count);
        Assert.Equal(62, expectedFiles); // 3 files + 59 attack prompts
        Assert.Equal(expectedFiles, report.Downloaded);
        Assert.Equal(Enumerable.Range(1, expectedFiles), progress.Select(p => p.Index));
        Assert.All(progress, p => Assert.Equal(expectedFiles, p.Total));
        foreach (var file in PinnedManifest.Datasets.SelectMany(d => d.Files))
        {
            var local = Cache.PathOf(file);
            Assert.Equal(File.ReadAllBytes(LocalRawServer.LocalFileOf(file.UpstreamPath)), File.ReadAllBytes(local));
        }

        // Layout: {root}/{commit}/{upstream path}, no temporary files left.
        Assert.True(File.Exists(Path.Combine(_cacheFolder.Path, PinnedManifest.Commit,
            "kv_cache_compression", "benchmarks", "raccoon", "defenses", "defense_template.json")));
        Assert.Empty(Directory.EnumerateFiles(_cacheFolder.Path, "*.part", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task EncodesSpacesAndPlusInFolderNames()
    {
        await Fetcher().FetchAsync([PinnedManifest.RaccoonAttacks]);
        var compound = _server.RawPaths.Single(p =>
            p.Key.EndsWith("compound_attacks/Prefix Injection + Payload Splitting/prompt1", StringComparison.Ordinal)).Value;
        Assert.Contains("/Prefix%20Injection%20%2B%20Payload%20Splitting/prompt1", compound);
        Assert.DoesNotContain(' ', compound);
    }

    [Fact]
    public async Task SecondRunIsServedFromCacheAndWorksOffline()
    {
        await Fetcher().FetchAsync([PinnedManifest.DefenseTemplate, PinnedManifest.SysIfEval]);
        var requestsAfterFirst = _server.Requests.Count;

        // An unreachable server: nothing listens on port 9 of the loopback address.
        var offline = await Fetcher(new Uri("http://127.0.0.1:9/")).FetchAsync([PinnedManifest.SysIfEval, PinnedManifest.DefenseTemplate]);

        Assert.Equal(2, offline.Cached);
        Assert.Equal(0, offline.Downloaded);
        Assert.Equal(requestsAfterFirst, _server.Requests.Count);
    }

    [Fact]
    public async Task PartialCacheDownloadsOnlyWhatIsMissingOrCorrupt()
    {
        var attacks = PinnedManifest.Get(PinnedManifest.RaccoonAttacks).Files;
        await Fetcher().FetchAsync([PinnedManifest.RaccoonAttacks]);
        File.Delete(Cache.PathOf(attacks[0]));
        File.WriteAllText(Cache.PathOf(attacks[1]), "tampered");
        while (_server.Requests.TryDequeue(out _))
        {
        }

        var report = await Fetcher().FetchAsync([PinnedManifest.RaccoonAttacks]);

        Assert.Equal(2, report.Downloaded);
        Assert.Equal(attacks.Count - 2, report.Cached);
        Assert.Equal([attacks[0].UpstreamPath, attacks[1].UpstreamPath], _server.Requests.ToList()); // in manifest order
        Assert.Equal(File.ReadAllBytes(LocalRawServer.LocalFileOf(attacks[1].UpstreamPath)), File.ReadAllBytes(Cache.PathOf(attacks[1])));
    }

    [Fact]
    public async Task HashMismatchIsRefusedAndTheFileDeleted()
    {
        var file = PinnedManifest.Get(PinnedManifest.DefenseTemplate).Files[0];
        _server.Overrides[file.UpstreamPath] = Encoding.UTF8.GetBytes("{\"evil\": \"$system_prompt\"}");

        var e = await Assert.ThrowsAsync<HashMismatchException>(() => Fetcher().FetchAsync([PinnedManifest.DefenseTemplate]));

        Assert.Equal(
            $"{file.UpstreamPath}: SHA-256 mismatch: expected {file.Sha256}, got {Sha256Hex("{\"evil\": \"$system_prompt\"}")}; file deleted",
            e.Message);
        Assert.False(File.Exists(Cache.PathOf(file)));
        Assert.Empty(Directory.EnumerateFiles(_cacheFolder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task HttpErrorsAndUnknownNamesAreOneLineErrors()
    {
        var missing = new PinnedFile("x", "kv_cache_compression/no/such file", new string('0', 64), 1);
        var e = await Assert.ThrowsAsync<FetchException>(() => Fetcher().FetchFilesAsync([missing]));
        Assert.StartsWith("kv_cache_compression/no/such file: HTTP 404", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        var unknown = await Assert.ThrowsAsync<UnknownDatasetException>(() => Fetcher().FetchAsync(["sys_evil"]));
        Assert.Equal("unknown dataset 'sys_evil' (known: sys_ifeval, sys_ifeval_shuffled, defense_template, raccoon_attacks)", unknown.Message);
    }

    [Fact]
    public async Task UnreachableServerIsAFetchException()
    {
        var e = await Assert.ThrowsAsync<FetchException>(() =>
            Fetcher(new Uri("http://127.0.0.1:9/")).FetchAsync([PinnedManifest.SysIfEval]));
        Assert.StartsWith("kv_cache_compression/benchmarks/ifeval/inputs/sys_ifeval.jsonl: cannot download http://127.0.0.1:9/", e.Message);
        Assert.EndsWith($"(gave up after {DataFetcher.Retries + 1} attempts)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task TransientServerErrorsAreRetriedWithBackoff()
    {
        var file = PinnedManifest.Get(PinnedManifest.DefenseTemplate).Files[0];
        _server.FailuresLeft[file.UpstreamPath] = DataFetcher.Retries; // the last attempt succeeds

        var report = await Fetcher().FetchAsync([PinnedManifest.DefenseTemplate]);

        Assert.Equal(1, report.Downloaded);
        Assert.Equal(DataFetcher.Retries + 1, _server.Requests.Count(p => p == file.UpstreamPath));
        Assert.Equal(File.ReadAllBytes(LocalRawServer.LocalFileOf(file.UpstreamPath)), File.ReadAllBytes(Cache.PathOf(file)));
    }

    [Fact]
    public async Task PersistentServerErrorsGiveUpWithoutLeavingAFile()
    {
        var file = PinnedManifest.Get(PinnedManifest.DefenseTemplate).Files[0];
        _server.FailuresLeft[file.UpstreamPath] = DataFetcher.Retries + 1;

        var e = await Assert.ThrowsAsync<FetchException>(() => Fetcher().FetchAsync([PinnedManifest.DefenseTemplate]));

        Assert.StartsWith($"{file.UpstreamPath}: HTTP 503", e.Message);
        Assert.EndsWith($"(gave up after {DataFetcher.Retries + 1} attempts)", e.Message);
        Assert.Empty(Directory.EnumerateFiles(_cacheFolder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ADownloadLargerThanItsPinnedSizeIsRefusedAndNotRetried()
    {
        var file = PinnedManifest.Get(PinnedManifest.DefenseTemplate).Files[0];
        _server.Overrides[file.UpstreamPath] = new byte[file.Size + 1];

        var e = await Assert.ThrowsAsync<FetchException>(() => Fetcher().FetchAsync([PinnedManifest.DefenseTemplate]));

        Assert.Equal($"{file.UpstreamPath}: the download is larger than its pinned size ({file.Size + 1} > {file.Size} bytes); refused", e.Message);
        Assert.Equal(1, _server.Requests.Count(p => p == file.UpstreamPath));
        Assert.Empty(Directory.EnumerateFiles(_cacheFolder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void DefaultAddressIsGitHubRawAtThePinnedCommit()
    {
        var fetcher = new DataFetcher(_http, Cache);
        var file = PinnedManifest.Get(PinnedManifest.SysIfEvalShuffled).Files[0];
        Assert.Equal(
            "https://raw.githubusercontent.com/Itisalex2/pitfalls-of-kv-cache-compression/fc0f5df3f1a524a8cac4cf6b56fbec103fcdd1aa/kv_cache_compression/benchmarks/ifeval/inputs/sys_ifeval_shuffled.jsonl",
            fetcher.AddressOf(file).AbsoluteUri);
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _cacheFolder.Dispose();
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests want every report before the await returns.</summary>
    private sealed class SynchronousProgress(List<FetchProgress> sink) : IProgress<FetchProgress>
    {
        public void Report(FetchProgress value) => sink.Add(value);
    }
}
