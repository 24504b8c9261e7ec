using System.Diagnostics;
using Xunit;

namespace KvGrid.TestSupport;

/// <summary>
/// Tests that need an external program (Debian's python3-torch for the reference model, redis, postgres, ...)
/// skip with a reason when it is missing under a plain `dotnet test`, and fail under ./test.sh, which installs
/// every such dependency and sets KVGRID_STRICT_TESTS=1, so CI can never pass without running them.
/// </summary>
public static class ExternalTools
{
    public static bool Strict => Environment.GetEnvironmentVariable("KVGRID_STRICT_TESTS") == "1";

    public static void Require(bool available, string what)
    {
        if (available) return;
        if (Strict) throw new InvalidOperationException($"{what} is required (KVGRID_STRICT_TESTS=1; ./test.sh installs it)");
        Skip.If(true, $"{what} is not installed (./test.sh installs it)");
    }

    /// <summary>redis-server (Debian package redis-server) for the cluster tests.</summary>
    public static void RequireRedis() => Require(KvGrid.LocalServices.LocalRedis.Binary is not null, "redis-server (Debian package redis-server)");

    /// <summary>PostgreSQL server binaries (/usr/lib/postgresql/N/bin, Debian package postgresql).</summary>
    public static void RequirePostgres() =>
        Require(KvGrid.LocalServices.LocalPostgres.Available, "PostgreSQL server binaries (/usr/lib/postgresql/N/bin, Debian package postgresql)");

    /// <summary>Debian's Python with torch, used by the independent reference implementation.</summary>
    public static string RequirePythonWith(string module)
    {
        const string python = "/usr/bin/python3";
        Require(File.Exists(python) && Run(python, $"-c \"import {module}\"", null, out _) == 0, $"{python} with the '{module}' module");
        return python;
    }

    public static int Run(string file, string args, string? stdin, out string stdout, string? workDir = null)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardInput = stdin is not null, RedirectStandardOutput = true, RedirectStandardError = true,
            WorkingDirectory = workDir ?? Environment.CurrentDirectory,
        };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        p.WaitForExit();
        stdout = output.Result;
        if (p.ExitCode != 0) stdout += err.Result;
        return p.ExitCode;
    }
}
