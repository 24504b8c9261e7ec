using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KvGrid.LocalServices;

/// <summary>A private redis-server (Debian package redis-server) on a free loopback port, no persistence; dispose stops it.</summary>
public sealed class LocalRedis : IDisposable
{
    readonly Process _process;
    readonly string _dir;
    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static string? Binary { get; } = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    LocalRedis(Process process, string dir, int port) { _process = process; _dir = dir; Port = port; }

    public static async Task<LocalRedis> StartAsync()
    {
        var bin = Binary ?? throw new InvalidOperationException("redis-server not found (apt-get install redis-server)");
        var dir = Directory.CreateTempSubdirectory("kvgrid-redis-").FullName;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var psi = new ProcessStartInfo(bin, $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no --dir {dir} --protected-mode yes")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new LocalRedis(process, dir, port);
            }
            catch (SocketException) { await Task.Delay(100); }
        }
        process.Kill(true);
        throw new InvalidOperationException($"redis-server did not start on port {port}");
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(true); _process.WaitForExit(5000); } } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
