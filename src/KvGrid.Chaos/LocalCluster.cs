using KvGrid.Contracts;
using KvGrid.Grid;
using KvGrid.Grid.Hosting;
using KvGrid.Hosting;
using KvGrid.LocalServices;
using KvGrid.Results;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KvGrid.Chaos;

/// <summary>
/// Silo processes on loopback sharing one Redis (membership, grain state) and one results store, each serving one
/// model shard, plus a cluster client that reconnects when its gateway goes away. Silo i keeps its ports across
/// restarts, as a pod keeps its name.
/// </summary>
public sealed class LocalCluster(string home, LocalRedis redis, string results, string modelDir, Action<string> log, double leaseSeconds = 3) : IDisposable
{
    // Distinct per cluster (the Redis port is a free one), stable per silo index.
    readonly int _basePort = 20000 + redis.Port % 1000 * 10;
    IHost? _client;

    /// <summary>A polling call through a gateway that just died can wait for the whole response timeout: give up sooner and reconnect.</summary>
    static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public string Redis => redis.ConnectionString;
    public string Results => results;
    public List<CliProcess> Silos { get; } = [];
    /// <summary>TLS the client speaks (null: plain TCP).</summary>
    public ClusterTls? ClientTls { get; set; }

    public CliProcess StartSilo(int index, params string[] extra)
    {
        var silo = CliProcess.Start($"s{index}", home, ["silo", "--name", $"s{index}", "--redis", redis.ConnectionString, "--results", results,
            "--silo-port", (_basePort + index).ToString(), "--gateway-port", (_basePort + 5 + index).ToString(),
            "--model", $"tiny={modelDir}@cpu", "--lease-seconds", leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--threads", "1", .. extra]);
        Silos.Add(silo);
        return silo;
    }

    /// <summary>Starts silo sN again (after a kill) with its old ports.</summary>
    public CliProcess RestartSilo(string name) => StartSilo(int.Parse(name[1..]));

    public CliProcess Live(string name) => Silos.Last(x => x.Name == name && !x.HasExited);

    public async Task<IClusterClient> ClientAsync()
    {
        if (_client is null)
        {
            var client = KvGridClient.Build(redis.ConnectionString, tls: ClientTls);
            try { await client.StartAsync(); }
            catch { client.Dispose(); throw; } // no gateway yet: try again on the next call
            _client = client;
        }
        return _client.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>Drops the client; the next call connects anew through whichever gateway is up.</summary>
    public void Reconnect()
    {
        _client?.Dispose();
        _client = null;
    }

    public async Task WaitForSilosAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                var hosts = await (await ClientAsync()).GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                if (hosts.Count >= count) return;
            }
            catch (Exception e) { log("waiting for silos: " + e.Message.Split('\n')[0]); }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{count} silos did not join:\n" + SiloOutputs());
            await Task.Delay(500);
        }
    }

    /// <summary>
    /// Waits until every running silo process is an active cluster member in its current generation (an old
    /// generation of a restarted silo may still be listed active until it is declared dead).
    /// </summary>
    public async Task WaitForLiveSilosToJoinAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var live = Silos.Where(s => !s.HasExited).ToList();
            try
            {
                var members = await (await ClientAsync()).GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
                // Membership start times come from the same clock; a second of slack for their resolution.
                if (live.All(p => members.Any(m => m.SiloName == p.Name && m.Status == Orleans.Runtime.SiloStatus.Active
                        && m.StartTime >= p.StartedAt - TimeSpan.FromSeconds(1))))
                    return;
            }
            catch (Exception e) { log("waiting for silos to join: " + e.Message.Split('\n')[0]); }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"silos {string.Join(", ", live.Select(s => s.Name))} did not all join:\n" + SiloOutputs());
            await Task.Delay(300);
        }
    }

    /// <summary>`kvgrid sweep submit` as a user runs it; returns the sweep id.</summary>
    public async Task<string> SubmitAsync(string spec)
    {
        using var submit = CliProcess.Start("submit", home, "sweep", "submit", spec, "--redis", redis.ConnectionString);
        if (await submit.WaitForExitAsync(TimeSpan.FromSeconds(120)) != 0)
            throw new InvalidOperationException("sweep submit failed: " + submit.Output + SiloOutputs());
        return submit.Output.Trim().Split('\n').Last().Trim();
    }

    /// <summary>Polls progress until the predicate holds; tolerates the coordinator moving between silos.</summary>
    public async Task<SweepProgress> WaitForAsync(string sweepId, Func<SweepProgress, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        SweepProgress? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await (await ClientAsync()).GetGrain<ISweepCoordinatorGrain>(sweepId).GetProgress().WaitAsync(CallTimeout);
                if (until(last)) return last;
            }
            catch (Exception e)
            {
                log("progress: " + e.GetType().Name + ": " + e.Message.Split('\n')[0]);
                if (e is TimeoutException) Reconnect();
            }
            await Task.Delay(300);
        }
        throw new TimeoutException($"sweep {sweepId} did not get there; last: {last}\n" + SiloOutputs());
    }

    /// <summary>The coordinator's silo; polls through failovers (optionally until it is not on <paramref name="except"/>).</summary>
    public async Task<string> HostSiloAsync(string sweepId, string? except = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            try
            {
                var host = await (await ClientAsync()).GetGrain<ISweepCoordinatorGrain>(sweepId).HostSilo().WaitAsync(CallTimeout);
                if (host != except && Silos.Any(x => x.Name == host && !x.HasExited)) return host;
            }
            catch (Exception e)
            {
                log("host: " + e.GetType().Name + ": " + e.Message.Split('\n')[0]);
                if (e is TimeoutException) Reconnect();
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the coordinator did not re-activate on a live silo\n" + SiloOutputs());
            await Task.Delay(200);
        }
    }

    public async Task<List<TrialResult>> StoredAsync(string sweepId)
    {
        await using var store = ResultsStore.Open(results);
        var rows = new List<TrialResult>();
        await foreach (var r in store.ReadAsync(sweepId, CancellationToken.None)) rows.Add(r);
        return rows;
    }

    public string SiloOutputs() => string.Join("\n", Silos.Select(s => $"--- {s.Name}\n{s.Output}"));

    public void Dispose()
    {
        foreach (var s in Silos) s.Dispose();
        _client?.Dispose();
    }
}
