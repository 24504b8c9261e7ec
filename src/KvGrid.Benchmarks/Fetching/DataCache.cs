namespace KvGrid.Benchmarks.Fetching;

/// <summary>
/// Where fetched files live: <c>{root}/{commit}/{upstream path}</c>. The root defaults to
/// <c>$XDG_CACHE_HOME/kvgrid/data</c>, or <c>~/.cache/kvgrid/data</c> when XDG_CACHE_HOME is unset; pass another
/// root to override it.
/// </summary>
public sealed class DataCache
{
    public DataCache(string? root = null, string commit = PinnedManifest.Commit)
    {
        Root = Path.GetFullPath(root ?? DefaultRoot());
        Commit = commit;
    }

    public string Root { get; }

    public string Commit { get; }

    /// <summary>The folder that mirrors the pinned commit.</summary>
    public string CommitFolder => Path.Combine(Root, Commit);

    public static string DefaultRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cacheHome = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(cacheHome, "kvgrid", "data");
    }

    /// <summary>The local path of an upstream path (file or folder).</summary>
    public string PathOf(string upstreamPath) =>
        Path.Combine([CommitFolder, .. upstreamPath.Split('/')]);

    public string PathOf(PinnedFile file) => PathOf(file.UpstreamPath);
}
