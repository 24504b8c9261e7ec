using KvGrid.Benchmarks.Fetching;

namespace KvGrid.Sweeps.Inputs;

/// <summary>
/// Resolves a data entry of a spec: a local path (relative paths against the spec folder, then the current
/// directory) or the name of a dataset fetched with <c>kvgrid data fetch</c>.
/// </summary>
internal static class DataResolver
{
    public static string Resolve(SweepSpec spec, Located<string> entry, string key, DataCache? cache)
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
