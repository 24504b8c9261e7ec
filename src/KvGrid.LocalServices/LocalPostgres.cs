using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace KvGrid.LocalServices;

/// <summary>
/// A private PostgreSQL server (tests, the chaos bench): Debian's server binaries (package postgresql; the system service is not
/// used) run initdb on a temporary data folder and start on a free port on 127.0.0.1 with trust authentication.
/// As root the server runs as the `postgres` OS user (initdb refuses root). Dispose stops it and deletes the folder.
/// </summary>
public sealed partial class LocalPostgres : IAsyncDisposable
{
    const string OsUser = "postgres";

    readonly string _root;
    readonly string _bin;
    int _stopped;

    /// <summary>Superuser `postgres` on the maintenance database `postgres`.</summary>
    public string ConnectionString { get; }
    public int Port { get; }
    public string DataDirectory => Path.Combine(_root, "data");
    public string LogFile => Path.Combine(_root, "server.log");

    LocalPostgres(string root, string bin, int port)
    {
        _root = root;
        _bin = bin;
        Port = port;
        ConnectionString = ConnectionFor("postgres");
    }

    /// <summary>The folder with initdb, pg_ctl and postgres: $KVGRID_PG_BIN, else the newest /usr/lib/postgresql/N/bin.</summary>
    public static string? BinDirectory { get; } = FindBinDirectory();

    public static bool Available => BinDirectory is not null;


    static string? FindBinDirectory()
    {
        static bool Complete(string d) => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")) && File.Exists(Path.Combine(d, "postgres"));
        if (Environment.GetEnvironmentVariable("KVGRID_PG_BIN") is { Length: > 0 } env) return Complete(env) ? env : null;
        if (!Directory.Exists("/usr/lib/postgresql")) return null;
        return Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1, Bin: Path.Combine(d, "bin")))
            .Where(x => x.Version >= 0 && Complete(x.Bin))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Bin)
            .FirstOrDefault();
    }

    public static async Task<LocalPostgres> StartAsync(CancellationToken ct = default)
    {
        var bin = BinDirectory ?? throw new InvalidOperationException("PostgreSQL server binaries not found (apt-get install postgresql)");
        var root = Directory.CreateTempSubdirectory("kvgrid-pg-").FullName;
        try
        {
            if (Environment.IsPrivilegedProcess) await RunAsync("chown", ["-R", $"{OsUser}:{OsUser}", root], root, ct);
            await RunAsServerUserAsync(Path.Combine(bin, "initdb"),
                ["-D", Path.Combine(root, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], root, ct);
            // Another process may take the free port between the probe and the server's bind: try a few.
            for (int attempt = 1; ; attempt++)
            {
                var server = new LocalPostgres(root, bin, FreeLoopbackPort());
                try
                {
                    await server.StartServerAsync(ct);
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 3 && server.LogMentionsPortInUse()) { }
            }
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    Task StartServerAsync(CancellationToken ct)
    {
        // TCP on loopback only, no Unix socket (a long temp path would exceed the socket path limit).
        // Durability off: a test server that loses its data on a crash is fine, and much faster.
        var options = $"-c port={Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
            + "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        return RunAsServerUserAsync(Path.Combine(_bin, "pg_ctl"),
            ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", options, "start"], _root, ct);
    }

    bool LogMentionsPortInUse() => File.Exists(LogFile) && File.ReadAllText(LogFile).Contains("Address already in use", StringComparison.Ordinal);

    /// <summary>A connection string for one database of this server.</summary>
    public string ConnectionFor(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ToString();

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        if (!DatabaseName().IsMatch(name)) throw new ArgumentException($"database name '{name}': use lower-case letters, digits and '_'", nameof(name));
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString();
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync(ct);
        return ConnectionFor(name);
    }

    /// <summary>A database with a fresh unique name (one per test keeps tests independent).</summary>
    public Task<string> CreateUniqueDatabaseAsync(string prefix = "test", CancellationToken ct = default) =>
        CreateDatabaseAsync($"{prefix}_{Guid.NewGuid():N}", ct);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();

    void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        NpgsqlConnection.ClearAllPools();
        try { RunAsServerUserAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"], _root, default).GetAwaiter().GetResult(); }
        catch (InvalidOperationException) { } // already stopped
        TryDelete(_root);
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    static Task RunAsServerUserAsync(string file, IReadOnlyList<string> args, string workDir, CancellationToken ct) =>
        Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", OsUser, "--", file, .. args], workDir, ct)
            : RunAsync(file, args, workDir, ct);

    static async Task RunAsync(string file, IReadOnlyList<string> args, string workDir, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Messages in English whatever the machine's locale, and no locale the server user may lack.
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {p.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}");
    }

    static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
