using System.Diagnostics;
using System.Text;
using KvGrid.TestSupport;

namespace KvGrid.Cluster.Tests;

/// <summary>A `kvgrid` CLI process (silo, sweep run, submit) started from the test's copy of the CLI build.</summary>
public sealed class ChildProcess : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();
    public string Name { get; }

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "kvgrid.dll");

    ChildProcess(string name, Process process) { Name = name; _process = process; }

    public static ChildProcess StartCli(string name, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepoRoot };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["KVGRID_HOME"] = TestPaths.RepoRoot;
        psi.Environment["DOTNET_gcServer"] = "0";
        var child = new ChildProcess(name, Process.Start(psi)!);
        child._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (child._output) child._output.AppendLine(e.Data); };
        child._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (child._output) child._output.AppendLine(e.Data); };
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

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
