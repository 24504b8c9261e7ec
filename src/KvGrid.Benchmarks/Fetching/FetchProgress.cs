namespace KvGrid.Benchmarks.Fetching;

public enum FetchStatus
{
    /// <summary>Already in the cache with the pinned hash; nothing downloaded.</summary>
    Cached,

    /// <summary>Downloaded and verified.</summary>
    Downloaded,
}

/// <summary>Reported after each file: which one, its position in the run (1-based) and what happened.</summary>
public readonly record struct FetchProgress(PinnedFile File, int Index, int Total, FetchStatus Status, string LocalPath);

/// <summary>The outcome of a fetch run.</summary>
public sealed record FetchReport(IReadOnlyList<FetchProgress> Files)
{
    public int Downloaded => Files.Count(f => f.Status == FetchStatus.Downloaded);

    public int Cached => Files.Count(f => f.Status == FetchStatus.Cached);
}

/// <summary>A download failed (network, HTTP status, or hash mismatch). The message is one line.</summary>
public class FetchException(string message, Exception? inner = null) : KvGridException(message, inner);

/// <summary>A downloaded file's SHA-256 differs from the pinned one; the file was deleted.</summary>
public sealed class HashMismatchException(PinnedFile file, string actualSha256)
    : FetchException($"{file.UpstreamPath}: SHA-256 mismatch: expected {file.Sha256}, got {actualSha256}; file deleted")
{
    public PinnedFile File { get; } = file;

    public string ActualSha256 { get; } = actualSha256;
}
