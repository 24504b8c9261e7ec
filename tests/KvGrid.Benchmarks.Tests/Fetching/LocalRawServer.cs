using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using KvGrid.Benchmarks.Fetching;

namespace KvGrid.Benchmarks.Tests.Fetching;

/// <summary>
/// A stand-in for raw.githubusercontent.com on 127.0.0.1: serves <c>/{commit}/{upstream path}</c> from the
/// shared data folder (mapped like upstream), with optional content overrides, and records requested paths.
/// </summary>
internal sealed class LocalRawServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public LocalRawServer()
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }

    /// <summary>Decoded request paths (after the commit segment), in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Upstream path -> bytes to serve instead of the real file (to simulate tampering).</summary>
    public ConcurrentDictionary<string, byte[]> Overrides { get; } = new();

    /// <summary>Upstream path -> how many more requests answer 503 before the file is served (transient failures).</summary>
    public ConcurrentDictionary<string, int> FailuresLeft { get; } = new();

    /// <summary>Upstream path -> raw (still encoded) request path seen, to check URL encoding.</summary>
    public ConcurrentDictionary<string, string> RawPaths { get; } = new();

    public static string LocalFileOf(string upstreamPath)
    {
        const string ifeval = "kv_cache_compression/benchmarks/ifeval/inputs/";
        const string defenses = "kv_cache_compression/benchmarks/raccoon/defenses/";
        const string attacks = "kv_cache_compression/benchmarks/raccoon/attacks/";
        var relative = upstreamPath switch
        {
            _ when upstreamPath.StartsWith(ifeval, StringComparison.Ordinal) => "sys_ifeval/" + upstreamPath[ifeval.Length..],
            _ when upstreamPath.StartsWith(defenses, StringComparison.Ordinal) => "raccoon/" + upstreamPath[defenses.Length..],
            _ when upstreamPath.StartsWith(attacks, StringComparison.Ordinal) => "raccoon/attacks/" + upstreamPath[attacks.Length..],
            _ => null,
        };
        return relative is null ? "" : Path.Combine(TestData.SharedData, relative);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Respond(context);
        }
    }

    private void Respond(HttpListenerContext context)
    {
        using var response = context.Response;
        var raw = context.Request.RawUrl ?? "/";
        var decoded = Uri.UnescapeDataString(raw.TrimStart('/'));
        var prefix = PinnedManifest.Commit + "/";
        if (!decoded.StartsWith(prefix, StringComparison.Ordinal))
        {
            response.StatusCode = 404;
            return;
        }

        var upstreamPath = decoded[prefix.Length..];
        Requests.Enqueue(upstreamPath);
        RawPaths[upstreamPath] = raw;
        if (FailuresLeft.TryGetValue(upstreamPath, out var left) && left > 0)
        {
            FailuresLeft[upstreamPath] = left - 1;
            response.StatusCode = 503;
            return;
        }

        byte[]? body = Overrides.TryGetValue(upstreamPath, out var replaced) ? replaced : null;
        var local = LocalFileOf(upstreamPath);
        if (body is null && File.Exists(local))
        {
            body = File.ReadAllBytes(local);
        }

        if (body is null)
        {
            response.StatusCode = 404;
            return;
        }

        response.StatusCode = 200;
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the loop ends when the listener closes
        }
    }
}
