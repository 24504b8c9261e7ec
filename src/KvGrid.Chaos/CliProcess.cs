using System.Diagnostics;
using System.Text;

namespace KvGrid.Chaos;

/// <summary>
/// A `kvgrid` CLI process (silo, sweep run, submit) started with `dotnet kvgrid.dll` from a CLI build folder, its
/// output captured; killed with SIGKILL (a lost node) or signalled (INT, TERM) as an operator would.
/// </summary>
public sealed class CliProcess : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();
    public string Name { get; }

    /// <summary>The CLI next to the running program (the CLI itself, or a test that copies its build).</summary>
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "kvgrid.dll");

    CliProcess(string name, Process process) { Name = name; _process = process; }

    /// <param name="home">The repository root (KVGRID_HOME: bundled models) and working folder.</param>
    public static CliProcess Start(string name, string home, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = home };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["KVGRID_HOME"] = home;
        psi.Environment["DOTNET_gcServer"] = "0";
        var child = new CliProcess(name, Process.Start(psi)!);
        child._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (child._output) child._output.AppendLine(e.Data); };
        child._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (child._output) child._output.AppendLine(e.Data); };
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>When the process was started (a silo's membership entry starts after it).</summary>
    public DateTime StartedAt { get; } = DateTime.UtcNow;

    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public int Pid => _process.Id;

    /// <summary>SIGKILL: the process dies without any cleanup (a lost node).</summary>
    public void KillHard()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>Sends a signal (INT, TERM) as a user or an orchestrator would.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {_process.Id}")!;
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"{Name} did not exit within {timeout}; output:\n{Output}"); }
        _process.WaitForExit(); // drain output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
