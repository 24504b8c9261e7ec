namespace KvGrid.IfEval.Tests;

/// <summary>Locates the shared benchmark data (<c>&lt;root&gt;/shared/data</c> beside the checkout) and this project's fixtures.</summary>
internal static class TestData
{
    public static string SharedData
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate)) return candidate;
            }
            throw new DirectoryNotFoundException($"no shared/data above {AppContext.BaseDirectory}");
        }
    }

    public static string SysIfEval => Path.Combine(SharedData, "sys_ifeval", "sys_ifeval.jsonl");
    public static string SysIfEvalShuffled => Path.Combine(SharedData, "sys_ifeval", "sys_ifeval_shuffled.jsonl");

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
