using KvGrid.TestSupport;

namespace KvGrid.Deployment.Tests.Manifests.Kustomizer;

/// <summary>
/// The real kustomize, kubectl's embedded one, used only as a reference to compare the builder with. kubectl is
/// not a test dependency: KVGRID_KUBECTL names the binary (a missing path means "no kubectl", which is how to
/// simulate its absence), otherwise the first kubectl on PATH.
/// </summary>
public static class Kubectl
{
    public static string? Path
    {
        get
        {
            if (Environment.GetEnvironmentVariable("KVGRID_KUBECTL") is { Length: > 0 } configured)
                return File.Exists(configured) ? configured : null;
            return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => System.IO.Path.Combine(dir, "kubectl")).FirstOrDefault(File.Exists);
        }
    }

    public static string Kustomize(string kubectl, string folder)
    {
        var exit = ExternalTools.Run(kubectl, $"kustomize \"{folder}\"", null, out var output);
        if (exit != 0) throw new InvalidOperationException($"kubectl kustomize {folder} failed: {output.ReplaceLineEndings(" ")}");
        return output;
    }
}
