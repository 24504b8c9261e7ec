using KvGrid.Benchmarks.Fetching;

namespace KvGrid.Sweeps.Inputs;

/// <summary>
/// Resolves a data entry of a spec: a local path (relative paths against the spec folder, then the current
/// directory) or the name of a dataset fetched with <c>kvgrid data fetch</c>.
/// </summary>
internal static class DataResolver
{
    public static string Resolve(SweepSpec spec, Located<string> entry, string key, DataCache? cache, PathRoots? roots = null)
    {
        if (roots is null) return ResolveLocal(spec, entry, key, cache);
        // A silo: relative paths are looked for under its data roots (the client's folder means nothing here), and
        // whatever a path leads to must lie inside them.
        var value = entry.Value;
        string resolved;
        if (Path.IsPathRooted(value)) resolved = Path.GetFullPath(value);
        else
        {
            var candidates = PathRoots.Candidates(value, roots.Data).ToList();
            resolved = candidates.FirstOrDefault(Exists) ?? TryDataset(value, cache) ?? candidates.FirstOrDefault() ?? value;
        }
        if (!PathRoots.IsInside(resolved, roots.Data))
            throw Error(spec, entry, key, $"'{value}' is outside this silo's data roots ({string.Join(", ", roots.Data)}; configure KvGrid__DataRoots)");
        return Exists(resolved) ? resolved : throw Error(spec, entry, key, $"'{value}' does not exist under this silo's data roots");
    }

    private static string? TryDataset(string value, DataCache? cache)
    {
        try { return DataSource.Resolve(value, cache).Path; }
        catch (KvGridException) { return null; }
    }

    private static string ResolveLocal(SweepSpec spec, Located<string> entry, string key, DataCache? cache)
    {
        var value = entry.Value;
        if (Path.IsPathRooted(value))
        {
            return Exists(value) ? Path.GetFullPath(value) : throw Error(spec, entry, key, $"'{value}' does not exist");
        }

        var besideSpec = Path.GetFullPath(Path.Combine(spec.BaseDirectory, value));
        if (Exists(besideSpec))
        {
            return besideSpec;
        }

        try
        {
            return DataSource.Resolve(value, cache).Path;
        }
        catch (KvGridException e)
        {
            throw Error(spec, entry, key, e.Message);
        }
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    public static SweepSpecException Error(SweepSpec spec, Located<string> entry, string key, string detail) =>
        new(spec.SourceName, entry.At, $"data.{key}: {detail}");
}
