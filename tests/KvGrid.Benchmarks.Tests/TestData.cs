namespace KvGrid.Benchmarks.Tests;

/// <summary>Locates the shared benchmark data (<c>&lt;root&gt;/shared/data</c> beside the checkout) and the fixtures.</summary>
internal static class TestData
{
    private static readonly Lazy<string> LazySharedData = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no shared/data above {AppContext.BaseDirectory}");
    });

    public static string SharedData => LazySharedData.Value;

    public static string AttacksRoot => Path.Combine(SharedData, "raccoon", "attacks");

    public static string DefenseTemplatesPath => Path.Combine(SharedData, "raccoon", "defense_template.json");

    public static string SysIfEvalShuffledPath => Path.Combine(SharedData, "sys_ifeval", "sys_ifeval_shuffled.jsonl");

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>A fresh empty folder under the system temp folder, deleted on dispose.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kvgrid-bench-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }
}
