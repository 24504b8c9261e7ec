using System.Xml.Linq;
using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests.Architecture;

/// <summary>
/// The layering docs/architecture.md promises, read from the project files: the grid, its interfaces and records, the
/// sweep layer, results, reports and telemetry never reach the TorchSharp engine through any chain of references,
/// and only hosts reference the torch trial runner.
/// </summary>
public sealed class ProjectGraphTests
{
    static readonly string Src = Path.Combine(TestPaths.RepoRoot, "src");

    /// <summary>Project name -> the names of the projects it references directly, and its package references.</summary>
    static readonly Dictionary<string, (string[] Projects, string[] Packages)> Graph = Directory
        .GetFiles(Src, "*.csproj", SearchOption.AllDirectories)
        .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
        .ToDictionary(p => Path.GetFileNameWithoutExtension(p), p =>
        {
            var doc = XDocument.Load(p);
            return (
                doc.Descendants("ProjectReference").Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/'))).ToArray(),
                doc.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToArray());
        });

    static List<string>? PathTo(string from, string to, HashSet<string>? seen = null)
    {
        if (from == to) return [to];
        seen ??= [];
        if (!seen.Add(from) || !Graph.TryGetValue(from, out var node)) return null;
        foreach (var next in node.Projects)
            if (PathTo(next, to, seen) is { } rest) return [from, .. rest];
        return null;
    }

    public static TheoryData<string> TorchFreeProjects() =>
        ["KvGrid.Grid", "KvGrid.Grid.Abstractions", "KvGrid.Contracts", "KvGrid.Sweeps", "KvGrid.Results", "KvGrid.Reports",
         "KvGrid.Telemetry", "KvGrid.Presses", "KvGrid.Benchmarks"];

    [Theory]
    [MemberData(nameof(TorchFreeProjects))]
    public void NoChainOfReferencesLeadsToTheEngineOrTorchSharp(string project)
    {
        Assert.True(Graph.ContainsKey(project), $"{project} is not a project under src/");
        var path = PathTo(project, "KvGrid.Engine");
        Assert.True(path is null, $"{project} reaches the engine: {string.Join(" -> ", path ?? [])}");
        var reachable = Graph.Keys.Where(p => PathTo(project, p) is not null).ToList();
        var torch = reachable.Where(p => Graph[p].Packages.Any(pkg => pkg.StartsWith("TorchSharp", StringComparison.Ordinal))).ToList();
        Assert.True(torch.Count == 0, $"{project} reaches TorchSharp through {string.Join(", ", torch)}");
    }

    [Fact]
    public void TheTorchTrialRunnerIsReferencedOnlyByHosts()
    {
        var referrers = Graph.Where(p => p.Value.Projects.Contains("KvGrid.Trials")).Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["KvGrid.Cli", "KvGrid.Hosting"], referrers);
    }

    [Fact]
    public void TheDomainRecordsCarryNoOrleansRuntime()
    {
        var packages = Graph["KvGrid.Contracts"].Packages;
        Assert.DoesNotContain(packages, p => p is "Microsoft.Orleans.Sdk" or "Microsoft.Orleans.Core" or "Microsoft.Orleans.Core.Abstractions" or "Microsoft.Orleans.Server" or "Microsoft.Orleans.Client");
        Assert.Equal(["KvGrid.Common"], Graph["KvGrid.Contracts"].Projects);
    }
}
