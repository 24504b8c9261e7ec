namespace KvGrid.Benchmarks.Fetching;

/// <summary>What a data argument resolved to: a local file or folder, and the dataset name when it was one.</summary>
public sealed record ResolvedData(string Path, bool IsDirectory, string? DatasetName);

/// <summary>A data argument is neither a local path nor a fetched dataset. The message is one line.</summary>
public sealed class DataSourceException(string message) : KvGridException(message);

/// <summary>
/// Resolves the data arguments of CLI commands: a local file or folder path is used as is; otherwise the
/// argument must be a dataset name of the <see cref="PinnedManifest"/> already fetched into the cache.
/// </summary>
public static class DataSource
{
    /// <exception cref="DataSourceException">Not a path, and not a dataset or not fetched (the message says which
    /// <c>./kvgrid data fetch</c> to run).</exception>
    public static ResolvedData Resolve(string nameOrPath, DataCache? cache = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (File.Exists(nameOrPath))
        {
            return new ResolvedData(Path.GetFullPath(nameOrPath), false, null);
        }

        if (Directory.Exists(nameOrPath))
        {
            return new ResolvedData(Path.GetFullPath(nameOrPath), true, null);
        }

        var dataset = PinnedManifest.Find(nameOrPath)
            ?? throw new DataSourceException(
                $"'{nameOrPath}' is neither an existing file or folder nor a dataset name ({string.Join(", ", PinnedManifest.Names)})");
        cache ??= new DataCache();
        var missing = dataset.Files.Count(f => !IsCached(f, cache));
        if (missing > 0)
        {
            var what = dataset.IsFolder ? $"{missing} of {dataset.Files.Count} files of dataset" : "dataset";
            throw new DataSourceException(
                $"{what} '{dataset.Name}' not in the cache {cache.CommitFolder}; run `./kvgrid data fetch {dataset.Name}`");
        }

        return new ResolvedData(cache.PathOf(dataset.RootUpstreamPath), dataset.IsFolder, dataset.Name);
    }

    // Presence and size: the hash was verified when the file was fetched, and hashing here would cost every run.
    private static bool IsCached(PinnedFile file, DataCache cache)
    {
        var path = cache.PathOf(file);
        return File.Exists(path) && new FileInfo(path).Length == file.Size;
    }
}
