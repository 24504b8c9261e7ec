using System.Text.RegularExpressions;
using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests;

/// <summary>Instructions of deploy/Dockerfile.* (no Docker engine here: the files are read, not built).</summary>
public static class DockerfileFacts
{
    public static string PathOf(string name) => Path.Combine(TestPaths.RepoRoot, "deploy", name);

    /// <summary>Instructions with continuation lines joined and comments dropped: (KEYWORD, arguments).</summary>
    public static IReadOnlyList<(string Keyword, string Args)> Instructions(string name)
    {
        var joined = Regex.Replace(File.ReadAllText(PathOf(name)), @"\\\r?\n", " ");
        return joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => { var sp = l.IndexOf(' '); return (l[..sp].ToUpperInvariant(), l[(sp + 1)..].Trim()); }).ToList();
    }

    /// <summary>The numeric USER of the final stage.</summary>
    public static long RuntimeUser(string name)
    {
        var user = Instructions(name).Last(i => i.Keyword == "USER").Args.Split(':')[0];
        return long.TryParse(user, out var uid) ? uid : throw new FormatException($"deploy/{name}: USER {user} is not numeric (runAsNonRoot needs a uid)");
    }
}
