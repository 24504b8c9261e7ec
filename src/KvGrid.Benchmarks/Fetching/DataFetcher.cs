using System.Net;
using System.Security.Cryptography;
using Polly;
using Polly.Retry;

namespace KvGrid.Benchmarks.Fetching;

/// <summary>
/// The backend of <c>kvgrid data fetch [NAME...]</c>: downloads pinned upstream files into a <see cref="DataCache"/>,
/// verifying each SHA-256. Files already cached with the right hash are not downloaded (so it works offline once
/// filled); a cached file with the wrong hash is deleted and downloaded again; a download with the wrong hash is
/// deleted and reported. Writes go to a temporary file in the same folder, renamed into place once verified, so the
/// cache never holds a partial file. A download may not exceed its pinned size; transient failures (network errors,
/// timeouts, HTTP 408/429/5xx, a connection cut mid-body) are retried with exponential backoff.
/// </summary>
public sealed class DataFetcher
{
    private readonly HttpClient _http;
    private readonly DataCache _cache;
    private readonly Uri _baseAddress;
    private readonly ResiliencePipeline _retry;

    /// <summary>Attempts after the first for a transient failure.</summary>
    public const int Retries = 3;

    /// <param name="baseAddress">Raw file base (default: GitHub raw of the paper's repository); files are
    /// requested at <c>{base}/{commit}/{upstream path}</c>.</param>
    /// <param name="retryDelay">First backoff delay (doubling, with jitter); default one second.</param>
    public DataFetcher(HttpClient http, DataCache cache, Uri? baseAddress = null, TimeSpan? retryDelay = null)
    {
        _http = http;
        _cache = cache;
        var address = (baseAddress ?? PinnedManifest.DefaultBaseAddress).ToString();
        _baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TransientFetchException>(),
                MaxRetryAttempts = Retries,
                Delay = retryDelay ?? TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    /// <summary>A failure worth another attempt; after the last one it surfaces as a plain <see cref="FetchException"/>.</summary>
    private sealed class TransientFetchException(string message, Exception? inner = null) : FetchException(message, inner);

    /// <summary>The address of one pinned file; each path segment is percent-encoded (folder names have spaces).</summary>
    public Uri AddressOf(PinnedFile file) =>
        new(_baseAddress, _cache.Commit + "/" + string.Join('/', file.UpstreamPath.Split('/').Select(Uri.EscapeDataString)));

    /// <summary>Fetches the named datasets (all of them when <paramref name="names"/> is empty).</summary>
    /// <exception cref="UnknownDatasetException">A name is not in the manifest.</exception>
    /// <exception cref="FetchException">A file could not be downloaded or failed verification.</exception>
    public async Task<FetchReport> FetchAsync(IEnumerable<string> names, IProgress<FetchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var requested = names.ToList();
        var datasets = requested.Count == 0
            ? PinnedManifest.Datasets
            : requested.Distinct().Select(PinnedManifest.Get).ToList();
        var files = datasets.SelectMany(d => d.Files).DistinctBy(f => f.UpstreamPath).ToList();
        return await FetchFilesAsync(files, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fetches an explicit list of pinned files.</summary>
    public async Task<FetchReport> FetchFilesAsync(IReadOnlyList<PinnedFile> files, IProgress<FetchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var results = new List<FetchProgress>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var localPath = _cache.PathOf(file);
            var status = await HasPinnedContentAsync(file, localPath, cancellationToken).ConfigureAwait(false)
                ? FetchStatus.Cached
                : await DownloadAsync(file, localPath, cancellationToken).ConfigureAwait(false);
            var entry = new FetchProgress(file, i + 1, files.Count, status, localPath);
            results.Add(entry);
            progress?.Report(entry);
        }

        return new FetchReport(results);
    }

    private static async Task<bool> HasPinnedContentAsync(PinnedFile file, string localPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(localPath))
        {
            return false;
        }

        if (new FileInfo(localPath).Length == file.Size
            && await Sha256OfFileAsync(localPath, cancellationToken).ConfigureAwait(false) == file.Sha256)
        {
            return true;
        }

        File.Delete(localPath); // corrupt or stale: never leave a file with the wrong content in the cache
        return false;
    }

    private async Task<FetchStatus> DownloadAsync(PinnedFile file, string localPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(localPath)!);
        var temporary = localPath + "." + Guid.NewGuid().ToString("N")[..8] + ".part";
        try
        {
            try
            {
                await _retry.ExecuteAsync(async ct => await DownloadOnceAsync(file, temporary, ct).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (TransientFetchException e)
            {
                throw new FetchException($"{e.Message} (gave up after {Retries + 1} attempts)", e.InnerException);
            }

            var actual = await Sha256OfFileAsync(temporary, cancellationToken).ConfigureAwait(false);
            if (actual != file.Sha256)
            {
                throw new HashMismatchException(file, actual);
            }

            File.Move(temporary, localPath, overwrite: true);
            return FetchStatus.Downloaded;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>One attempt: the body goes to <paramref name="temporary"/> (replaced), never more than the pinned size.</summary>
    private async Task DownloadOnceAsync(PinnedFile file, string temporary, CancellationToken cancellationToken)
    {
        var address = AddressOf(file);
        try
        {
            using var response = await _http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var message = $"{file.UpstreamPath}: HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {address}";
                throw IsTransient(response.StatusCode) ? new TransientFetchException(message) : new FetchException(message);
            }

            if (response.Content.Headers.ContentLength is { } announced && announced > file.Size)
            {
                throw TooLarge(file, announced);
            }

            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var target = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
            var buffer = new byte[81920];
            long written = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                written += read;
                if (written > file.Size)
                {
                    throw TooLarge(file, written);
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException
                                      || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // TaskCanceledException without our token cancelled is HttpClient's timeout.
            var reason = e is TaskCanceledException ? "timed out" : OneLine(e.Message);
            throw new TransientFetchException($"{file.UpstreamPath}: cannot download {address}: {reason}", e);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static FetchException TooLarge(PinnedFile file, long bytes) =>
        new($"{file.UpstreamPath}: the download is larger than its pinned size ({bytes} > {file.Size} bytes); refused");

    internal static async Task<string> Sha256OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }

    private static string OneLine(string text) => DataFileException.OneLine(text);
}
