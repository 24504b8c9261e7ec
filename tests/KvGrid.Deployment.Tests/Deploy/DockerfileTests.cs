using System.Text.RegularExpressions;
using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests;

public sealed class DockerfileTests
{
    [Theory]
    [InlineData("Dockerfile.cpu", "cpu")]
    [InlineData("Dockerfile.cuda", "cuda")]
    public void Builds_silo_and_cli_in_an_sdk_stage_for_the_torch_backend(string file, string backend)
    {
        var steps = DockerfileFacts.Instructions(file);
        var froms = steps.Where(s => s.Keyword == "FROM").ToList();
        Assert.Equal(2, froms.Count);
        Assert.Contains("/dotnet/sdk:", froms[0].Args);
        Assert.Contains("/dotnet/aspnet:", froms[1].Args);
        var run = string.Join(" ", steps.Where(s => s.Keyword == "RUN").Select(s => s.Args));
        foreach (var project in new[] { "silos/KvGrid.Silo/KvGrid.Silo.csproj", "src/KvGrid.Cli/KvGrid.Cli.csproj" })
        {
            Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, project)), project);
            Assert.Matches($@"dotnet publish {Regex.Escape(project)} -c Release[^&]*-p:TorchBackend={backend} -o /app", run);
        }
        Assert.Contains(steps, s => s.Keyword == "COPY" && s.Args.Contains("--from=build") && s.Args.EndsWith("/app /app"));
    }

    [Theory]
    [InlineData("Dockerfile.cpu")]
    [InlineData("Dockerfile.cuda")]
    public void Runs_the_silo_host_as_a_non_root_user(string file)
    {
        var steps = DockerfileFacts.Instructions(file);
        Assert.Equal("[\"/app/kvgrid-silo\"]", steps.Last(s => s.Keyword == "ENTRYPOINT").Args);
        Assert.True(DockerfileFacts.RuntimeUser(file) > 0);
        // The entrypoints are the projects' assembly names (the silo host and the Job's CLI).
        Assert.Contains("<AssemblyName>kvgrid-silo</AssemblyName>", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "silos", "KvGrid.Silo", "KvGrid.Silo.csproj")));
        Assert.Contains("<AssemblyName>kvgrid</AssemblyName>", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "KvGrid.Cli", "KvGrid.Cli.csproj")));
        var exposed = steps.Where(s => s.Keyword == "EXPOSE").SelectMany(s => s.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["11111", "30000", "9464"], exposed);
    }

    [Fact]
    public void Model_weights_never_enter_the_build_context()
    {
        var ignored = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, ".dockerignore")).Select(l => l.Trim()).ToHashSet();
        Assert.Contains("models", ignored);
        Assert.Contains("**/*.safetensors", ignored);
        Assert.Contains("**/bin", ignored);
        Assert.Contains("**/obj", ignored);
        foreach (var file in new[] { "Dockerfile.cpu", "Dockerfile.cuda" })
            Assert.DoesNotContain(DockerfileFacts.Instructions(file), s => s.Keyword is "COPY" or "ADD" && s.Args.Contains("models"));
    }
}
