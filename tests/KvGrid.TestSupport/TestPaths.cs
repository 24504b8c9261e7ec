namespace KvGrid.TestSupport;

/// <summary>Locations tests need: the repository root and the read-only benchmark inputs in ../shared/data.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindUp(d => File.Exists(Path.Combine(d, "KvGrid.sln")))
        ?? throw new InvalidOperationException("KvGrid.sln not found above " + AppContext.BaseDirectory);

    /// <summary>shared/data beside the checkout (the project never copies those files into the repository).</summary>
    public static string SharedData { get; } = FindUp(d => Directory.Exists(Path.Combine(d, "shared", "data"))) is { } root
        ? Path.Combine(root, "shared", "data")
        : throw new InvalidOperationException("shared/data not found above " + AppContext.BaseDirectory);

    static string? FindUp(Func<string, bool> match)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (match(d.FullName)) return d.FullName;
        return null;
    }
}

/// <summary>A temporary folder removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("kvgrid-test-").FullName;
    public string this[string relative] => System.IO.Path.Combine(Path, relative);
    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}
