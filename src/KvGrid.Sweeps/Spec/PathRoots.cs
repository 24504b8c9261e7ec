using System.Runtime.InteropServices;

namespace KvGrid.Sweeps;

/// <summary>
/// The folders a cluster silo lets a submitted spec read: model folders under <see cref="Models"/>, data files under
/// <see cref="Data"/> (the data cache is always one). A spec comes from a client, and whatever it names a silo reads
/// into prompts and results, so a path outside the roots (absolute, through "..", or through a symbolic link) is
/// refused. Null roots (the embedded mode) read local paths as given.
/// </summary>
public sealed record PathRoots(IReadOnlyList<string> Models, IReadOnlyList<string> Data)
{
    public static PathRoots Create(IEnumerable<string> models, IEnumerable<string> data, string dataCacheRoot) =>
        new(Normalize(models), Normalize(data.Append(dataCacheRoot)));

    static List<string> Normalize(IEnumerable<string> roots) =>
        roots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => RealPath(r.Trim())).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Where a relative spec path is looked for: under each root, in order.</summary>
    public static IEnumerable<string> Candidates(string relative, IReadOnlyList<string> roots) =>
        roots.Select(r => Path.GetFullPath(Path.Combine(r, relative)));

    /// <summary>True when the path, symbolic links resolved, lies inside one of the roots.</summary>
    public static bool IsInside(string path, IReadOnlyList<string> roots)
    {
        var real = RealPath(path);
        return roots.Any(r => real == r || real.StartsWith(r.EndsWith('/') ? r : r + "/", StringComparison.Ordinal));
    }

    /// <summary>
    /// The canonical absolute path: every symbolic link of the longest existing prefix resolved (realpath(3)), the rest
    /// normalised lexically, so "..", "." and links cannot lead out of a root.
    /// </summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var existing = full;
        var tail = new Stack<string>();
        while (!File.Exists(existing) && !Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null) return full;
            tail.Push(Path.GetFileName(existing));
            existing = parent;
        }
        var resolved = Resolve(existing) ?? existing;
        while (tail.Count > 0) resolved = Path.Combine(resolved, tail.Pop());
        return resolved;
    }

    static string? Resolve(string path)
    {
        var buffer = realpath(path, IntPtr.Zero);
        if (buffer == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(buffer); }
        finally { free(buffer); }
    }

    [DllImport("libc", CharSet = CharSet.Ansi, SetLastError = true)]
    static extern IntPtr realpath(string path, IntPtr resolved);

    [DllImport("libc")]
    static extern void free(IntPtr pointer);
}
