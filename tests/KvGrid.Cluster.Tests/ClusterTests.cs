using KvGrid.Grid;
using KvGrid.Grid.Hosting;
using KvGrid.Hosting;
using KvGrid.Results;
using KvGrid.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace KvGrid.Cluster.Tests;

/// <summary>
/// Three silo processes on loopback with a real redis-server (membership, grain state) and a real PostgreSQL
/// (results), driven through the CLI. Silos are killed with SIGKILL mid-sweep, or all stopped and restarted.
/// </summary>
[Collection("grid")]
public sealed class ClusterTests(GridFixture grid, ITestOutputHelper output) : IAsyncLifetime
{
    RedisServer _redis = null!;
    PostgresServer _postgres = null!;
    string _results = "";
    readonly List<ChildProcess> _silos = [];
    IHost? _client;

    public async Task InitializeAsync()
    {
        RedisServer.Require();
        PostgresServer.Require();
        _redis = await RedisServer.StartAsync();
        _postgres = await PostgresServer.StartAsync();
        _results = await _postgres.CreateUniqueDatabaseAsync("kvgrid");
    }

    ChildProcess StartSilo(int index, params string[] extra)
    {
        int basePort = 20000 + (_redis.Port % 1000) * 10; // distinct per test run, stable per silo index
        var silo = ChildProcess.StartCli($"s{index}", ["silo", "--name", $"s{index}", "--redis", _redis.ConnectionString, "--results", _results,
            "--silo-port", (basePort + index).ToString(), "--gateway-port", (basePort + 5 + index).ToString(),
            "--model", $"tiny={grid.ModelDir}@cpu", "--lease-seconds", "3", "--threads", "1", .. extra]);
        _silos.Add(silo);
        return silo;
    }

    ClusterTls? _clientTls;

    async Task<IClusterClient> ClientAsync()
    {
        if (_client is null)
        {
            var client = KvGridClient.Build(_redis.ConnectionString, tls: _clientTls);
            try { await client.StartAsync(); }
            catch { client.Dispose(); throw; } // no gateway yet: try again on the next call
            _client = client;
        }
        return _client.Services.GetRequiredService<IClusterClient>();
    }

    async Task WaitForSilosAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                var hosts = await (await ClientAsync()).GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                if (hosts.Count >= count) return;
            }
            catch (Exception e) { output.WriteLine("waiting for silos: " + e.Message); }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{count} silos did not join:\n" + string.Join("\n", _silos.Select(s => s.Name + ": " + s.Output)));
            await Task.Delay(500);
        }
    }

    async Task<string> SubmitAsync(string spec)
    {
        using var submit = ChildProcess.StartCli("submit", "sweep", "submit", spec, "--redis", _redis.ConnectionString);
        Assert.True(await submit.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0,
            submit.Output + string.Join("\n", _silos.Select(s => $"--- {s.Name}\n{s.Output}")));
        return submit.Output.Trim().Split('\n').Last().Trim();
    }

    /// <summary>Polls progress until the predicate holds; tolerates the coordinator moving between silos.</summary>
    async Task<SweepProgress> WaitForAsync(string sweepId, Func<SweepProgress, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        SweepProgress? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await (await ClientAsync()).GetGrain<ISweepCoordinatorGrain>(sweepId).GetProgress();
                if (until(last)) return last;
            }
            catch (Exception e) { output.WriteLine("progress: " + e.GetType().Name + ": " + e.Message.Split('\n')[0]); }
            await Task.Delay(300);
        }
        throw new TimeoutException($"sweep {sweepId} did not get there; last: {last}\n" + string.Join("\n", _silos.Select(s => $"--- {s.Name}\n{s.Output}")));
    }

    async Task<List<TrialResult>> StoredAsync(string sweepId)
    {
        await using var store = ResultsStore.Open(_results);
        var rows = new List<TrialResult>();
        await foreach (var r in store.ReadAsync(sweepId, CancellationToken.None)) rows.Add(r);
        return rows;
    }

    [SkippableFact]
    public async Task KillingTheCoordinatorsSiloMidSweepLosesNothing()
    {
        var spec = grid.WriteSpec("kill-coordinator", count: 12, maxNewTokens: 48);
        for (int i = 1; i <= 3; i++) StartSilo(i);
        await WaitForSilosAsync(3);
        var sweepId = await SubmitAsync(spec);
        var before = await WaitForAsync(sweepId, p => p.TrialsDone >= p.TrialsTotal / 4, TimeSpan.FromSeconds(180));
        Assert.True(before.TrialsDone < before.TrialsTotal, "the sweep finished before the kill: make it longer");

        var host = await (await ClientAsync()).GetGrain<ISweepCoordinatorGrain>(sweepId).HostSilo();
        var victim = _silos.Single(s => s.Name == host);
        output.WriteLine($"killing {host} (hosts the coordinator) at {before.TrialsDone}/{before.TrialsTotal}");
        var killedAt = DateTimeOffset.UtcNow;
        victim.KillHard();

        var done = await WaitForAsync(sweepId, p => p.Finished, TimeSpan.FromSeconds(240));
        Assert.Equal(SweepState.Completed, done.State);
        Assert.Equal(0, done.TrialsFailed);
        var rows = await StoredAsync(sweepId);
        Assert.Equal(done.TrialsTotal, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.TrialId).Distinct().Count());
        Assert.All(rows, r => Assert.Equal("ok", r.Status));
        Assert.True(rows.Select(r => r.Silo).Distinct().Count() >= 2, "work was spread over the silos");
        // Every surviving shard kept working. Orleans deactivates an activation whose directory partition was on the
        // dead silo; a shard that lived in such an activation stopped silently and the sweep stalled when both did.
        foreach (var survivor in _silos.Where(s => s.Name != host))
            Assert.True(rows.Any(r => r.Silo == survivor.Name && r.CompletedAt > killedAt),
                $"{survivor.Name} stored nothing after {host} was killed:\n{survivor.Output}");
    }

    /// <summary>
    /// Chaos: silos are killed with SIGKILL at random moments, several times in one sweep, and restarted; the
    /// coordinator's silo is among the victims, once right after the coordinator re-activated elsewhere. The sweep must
    /// complete with every planned trial stored exactly once and never stall longer than a lease, the membership's
    /// death detection and one context's run. The seed is printed (KVGRID_CHAOS_SEED replays a run).
    /// </summary>
    [SkippableFact]
    public async Task RandomKillsAndRestartsLoseNothingAndNeverStall()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("KVGRID_CHAOS_SEED"), out var s) ? s : Environment.TickCount & 0xFFFF;
        var random = new Random(seed);
        output.WriteLine($"chaos seed {seed}");
        var spec = grid.WriteSpec("chaos", count: 40, maxNewTokens: 48);
        for (int i = 1; i <= 3; i++) StartSilo(i);
        await WaitForSilosAsync(3);
        var sweepId = await SubmitAsync(spec);

        var stalls = new StallWatch();
        int kills = 0, coordinatorKills = 0;
        var lastKillAt = DateTimeOffset.UtcNow;
        const int Rounds = 4;
        for (int round = 0; round < Rounds; round++)
        {
            // Let the sweep make some progress, then kill: round 0 and 2 the coordinator's silo, the others at random.
            var at = await WaitForAsync(sweepId, p => stalls.See(p) && p.TrialsDone >= p.TrialsTotal * (round + 1) / (Rounds + 2), TimeSpan.FromSeconds(180));
            if (at.Finished) break;
            var coordinatorHost = await HostSiloAsync(sweepId);
            var victim = round % 2 == 0
                ? Live(coordinatorHost)
                : _silos.Where(x => !x.HasExited).OrderBy(_ => random.Next()).First();
            output.WriteLine($"round {round}: killing {victim.Name}{(victim.Name == coordinatorHost ? " (coordinator)" : "")} at {at.TrialsDone}/{at.TrialsTotal}");
            victim.KillHard();
            lastKillAt = DateTimeOffset.UtcNow;
            kills++;
            if (victim.Name == coordinatorHost) coordinatorKills++;
            if (round == 2)
            {
                // Kill the silo the coordinator just moved to, while it re-activates (loads its ledger).
                var moved = await HostSiloAsync(sweepId, except: victim.Name);
                output.WriteLine($"round {round}: coordinator re-activated on {moved}; killing it too");
                Live(moved).KillHard();
                lastKillAt = DateTimeOffset.UtcNow;
                kills++; coordinatorKills++;
                await Task.Delay(random.Next(0, 1500));
                RestartSilo(moved);
            }
            await Task.Delay(random.Next(500, 3000));
            RestartSilo(victim.Name);
            // The client reconnects as a user's would: a new one, through whichever gateway is up.
            if (random.Next(2) == 0) { _client?.Dispose(); _client = null; }
        }

        var done = await WaitForAsync(sweepId, p => stalls.See(p) && p.Finished, TimeSpan.FromSeconds(300));
        var rows = await StoredAsync(sweepId);
        var life = done.Lifetime!;
        output.WriteLine($"kills {kills} ({coordinatorKills} of the coordinator's silo), coordinator activations {life.Activations}, "
            + $"leases expired {life.LeasesExpired}, trial results reported {life.TrialsComputed} for {done.TrialsTotal} trials "
            + $"({life.DuplicateResults} for trials already stored), longest stall {stalls.Longest.TotalSeconds:F1} s");
        Assert.Equal(SweepState.Completed, done.State);
        Assert.Equal(0, done.TrialsFailed);
        Assert.Equal(done.TrialsTotal, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.TrialId).Distinct().Count());
        Assert.All(rows, r => Assert.Equal("ok", r.Status));
        Assert.True(life.Activations >= 1 + coordinatorKills, $"{life.Activations} activations for {coordinatorKills} coordinator kills");
        // Every silo that is up kept its shard working through the kills it saw.
        foreach (var silo in _silos.Where(x => !x.HasExited))
            Assert.True(rows.Any(r => r.Silo == silo.Name && r.CompletedAt > lastKillAt), $"{silo.Name} stored nothing after the last kill:\n{silo.Output}");
        // Lease (3 s) + death detection (2 probes of 2 s, table refresh) + a context's run, with slack for a busy machine.
        Assert.True(stalls.Longest < TimeSpan.FromSeconds(45), $"the sweep stalled for {stalls.Longest.TotalSeconds:F1} s");
    }

    /// <summary>
    /// Longest wall time between two observed increases of the stored trials while the sweep ran (the time the coordinator
    /// could not be reached at all counts too: it ends only with a reading that shows more trials).
    /// </summary>
    sealed class StallWatch
    {
        int _done = -1;
        DateTime _since = DateTime.UtcNow;
        public TimeSpan Longest { get; private set; }

        public bool See(SweepProgress p)
        {
            var now = DateTime.UtcNow;
            if (now - _since > Longest && (p.TrialsDone > _done || !p.Finished)) Longest = now - _since;
            if (p.TrialsDone > _done) { _done = p.TrialsDone; _since = now; }
            return true;
        }
    }

    ChildProcess Live(string name) => _silos.Last(x => x.Name == name && !x.HasExited);

    void RestartSilo(string name) => StartSilo(int.Parse(name[1..]));

    /// <summary>The coordinator's silo; polls through failovers (optionally until it is not on <paramref name="except"/>).</summary>
    async Task<string> HostSiloAsync(string sweepId, string? except = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            try
            {
                var host = await (await ClientAsync()).GetGrain<ISweepCoordinatorGrain>(sweepId).HostSilo();
                if (host != except && _silos.Any(x => x.Name == host && !x.HasExited)) return host;
            }
            catch (Exception e) { output.WriteLine("host: " + e.GetType().Name + ": " + e.Message.Split('\n')[0]); }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the coordinator did not re-activate on a live silo");
            await Task.Delay(200);
        }
    }

    [SkippableFact]
    public async Task StoppingEverySiloAndRestartingResumesWithoutRecomputing()
    {
        var spec = grid.WriteSpec("restart-all", count: 12, maxNewTokens: 48);
        for (int i = 1; i <= 3; i++) StartSilo(i);
        await WaitForSilosAsync(3);
        var sweepId = await SubmitAsync(spec);
        var mid = await WaitForAsync(sweepId, p => p.TrialsDone >= p.TrialsTotal / 3, TimeSpan.FromSeconds(180));
        Assert.True(mid.TrialsDone < mid.TrialsTotal, "the sweep finished before the stop: make it longer");

        foreach (var s in _silos) s.Signal("TERM");
        foreach (var s in _silos) await s.WaitForExitAsync(TimeSpan.FromSeconds(60));
        _client?.Dispose();
        _client = null;
        var stored = await StoredAsync(sweepId);
        output.WriteLine($"stopped with {stored.Count}/{mid.TrialsTotal} trials stored");

        for (int i = 1; i <= 3; i++) StartSilo(i);
        var done = await WaitForAsync(sweepId, p => p.Finished, TimeSpan.FromSeconds(240));
        Assert.Equal(SweepState.Completed, done.State);
        Assert.Equal(stored.Count, done.TrialsSkipped);                      // the ledger at restart
        Assert.Equal(done.TrialsTotal - stored.Count, done.TrialsComputed);  // nothing stored was computed again
        var rows = await StoredAsync(sweepId);
        Assert.Equal(done.TrialsTotal, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.TrialId).Distinct().Count());
        var storedIds = stored.ToDictionary(r => r.TrialId, r => r.CompletedAt);
        Assert.All(rows.Where(r => storedIds.ContainsKey(r.TrialId)), r => Assert.Equal(storedIds[r.TrialId], r.CompletedAt));
    }

    [SkippableFact]
    public async Task ASpecThatLeadsOutsideTheSilosDataRootsIsRefusedAtSubmission()
    {
        // Valid where the client stands, but the silos' data roots hold only their data cache.
        var spec = Path.Combine(grid.Root, "outside.yaml");
        File.WriteAllText(spec, string.Join("\n",
            "name: outside",
            "benchmark: raccoon",
            $"models: [{{ name: tiny, path: \"{grid.ModelDir}\" }}]",
            $"data: {{ system_prompts: \"{Path.Combine(TestPaths.SharedData, "sys_ifeval/sys_ifeval_shuffled.jsonl")}\", attacks: \"{Path.Combine(TestPaths.SharedData, "raccoon/attacks")}\", defenses: \"{Path.Combine(TestPaths.SharedData, "raccoon/defense_template.json")}\" }}",
            "system_prompts: { count: 1 }",
            "defenses: [standard_defense]",
            "presses: [knorm]",
            "ratios: [0.5]") + "\n");
        StartSilo(1);
        await WaitForSilosAsync(1);
        using var submit = ChildProcess.StartCli("submit", "sweep", "submit", spec, "--redis", _redis.ConnectionString);
        Assert.Equal(2, await submit.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        var line = Assert.Single(submit.Output.Trim().Split('\n'));
        Assert.StartsWith("error: outside.yaml:4:", line);
        Assert.Contains("data.system_prompts: ", line);
        Assert.Contains("outside this silo's data roots", line);
        Assert.Empty(await (await ClientAsync()).GetGrain<ISweepRegistryGrain>(0).List());
    }

    /// <summary>
    /// Two silos speak mutual TLS (certificates from files, one authority). A client with a certificate of that
    /// authority works; a client without TLS, and one whose certificate another authority signed, are refused.
    /// </summary>
    [SkippableFact]
    public async Task WithTlsOnlyClientsHoldingTheClustersCertificateGetIn()
    {
        var certs = TestCertificates.Write(grid.Root);
        var tls = new[] { "--tls-cert", certs.Silo.Certificate, "--tls-key", certs.Silo.Key, "--tls-ca", certs.Authority };
        StartSilo(1, tls);
        StartSilo(2, tls);
        _clientTls = new ClusterTls { Certificate = certs.Client.Certificate, Key = certs.Client.Key, Authority = certs.Authority };
        await WaitForSilosAsync(2);

        foreach (var (name, outsider, siloSays) in new[]
                 {
                     ("no TLS", (ClusterTls?)null, "Authentication failed"),
                     ("a certificate of another authority", new ClusterTls { Certificate = certs.Stranger.Certificate, Key = certs.Stranger.Key, Authority = certs.Authority },
                         "The remote certificate was rejected"),
                 })
        {
            using var client = KvGridClient.Build(_redis.ConnectionString, tls: outsider);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var refused = await Record.ExceptionAsync(async () =>
            {
                await client.StartAsync(timeout.Token);
                await client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(timeout.Token);
            });
            Assert.True(refused is not null, $"a client with {name} got in");
            output.WriteLine($"{name}: {refused!.GetType().Name}: {refused.Message.Split('\n')[0]}");
            // The gateways saw the handshake and refused it (the client did not merely time out).
            Assert.Contains(_silos, s => s.Output.Contains(siloSays, StringComparison.Ordinal));
        }
        Assert.All(_silos, s => Assert.False(s.HasExited, s.Output));
    }

    public async Task DisposeAsync()
    {
        foreach (var s in _silos) s.Dispose();
        _client?.Dispose();
        if (_postgres is not null) await _postgres.DisposeAsync();
        _redis?.Dispose();
    }
}
