using KvGrid.Contracts;
using KvGrid.Grid;

namespace KvGrid.Chaos;

/// <summary>How hard a chaos run shakes the cluster. The seed makes the choice of victims and delays replayable.</summary>
public sealed record ChaosOptions(int Rounds = 4, int Seed = 0, int Silos = 3)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>What a chaos run did to the sweep and what the sweep made of it.</summary>
public sealed record ChaosReport(
    int Seed, int Kills, int CoordinatorKills, SweepProgress Final, int RowsStored, int DistinctTrials, int RowsNotOk,
    TimeSpan LongestStall, IReadOnlyList<string> IdleSurvivors, TimeSpan Elapsed)
{
    public SweepLifetime Lifetime => Final.Lifetime ?? new SweepLifetime(0, 0, 0, 0);

    /// <summary>Every planned trial stored exactly once and ok, the sweep completed, every silo that survived the last kill kept working.</summary>
    public bool LostNothing => Final.State == SweepState.Completed && Final.TrialsFailed == 0 && RowsStored == Final.TrialsTotal
        && DistinctTrials == RowsStored && RowsNotOk == 0 && IdleSurvivors.Count == 0;

    public string Summary() =>
        $"seed {Seed}: {Kills} kills ({CoordinatorKills} of the coordinator's silo), {Lifetime.Activations} coordinator activations, "
        + $"{Lifetime.LeasesExpired} leases expired, {Lifetime.TrialsComputed} trial results reported for {Final.TrialsTotal} trials "
        + $"({Lifetime.DuplicateResults} for trials already stored), {RowsStored} rows stored ({DistinctTrials} distinct, {RowsNotOk} not ok), "
        + $"longest stall {LongestStall.TotalSeconds:F1} s, {Elapsed.TotalSeconds:F0} s in all"
        + (IdleSurvivors.Count > 0 ? $"; idle after the last kill: {string.Join(", ", IdleSurvivors)}" : "");
}

/// <summary>
/// Chaos on a <see cref="LocalCluster"/>: silos are killed with SIGKILL at random moments, several times in one sweep,
/// and restarted (each round waits until the restarted silos have joined); even rounds kill the coordinator's silo, and round 2 then also kills the silo the coordinator moved to
/// while it re-activates. The client is dropped and reconnects at random. The longest stall is read from the stored rows.
/// </summary>
public static class ChaosRun
{
    public static async Task<ChaosReport> RunAsync(LocalCluster cluster, string spec, ChaosOptions options, Action<string> log)
    {
        var random = new Random(options.Seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 1; i <= options.Silos; i++) cluster.StartSilo(i);
        await cluster.WaitForSilosAsync(options.Silos);
        var submittedAt = DateTimeOffset.UtcNow;
        var sweepId = await cluster.SubmitAsync(spec);

        int kills = 0, coordinatorKills = 0;
        var lastKillAt = DateTimeOffset.UtcNow;
        // The silos that lived through the last kill (a silo restarted after it may find no work left).
        var survivors = new List<CliProcess>();
        for (int round = 0; round < options.Rounds; round++)
        {
            // Each round starts from a whole cluster: silos restarted in the last round have joined (a silo still joining
            // when its peers die is a different experiment, and its shard has not started).
            await cluster.WaitForLiveSilosToJoinAsync(options.Timeout);
            var at = await cluster.WaitForAsync(sweepId, p => p.Finished || p.TrialsDone >= p.TrialsTotal * (round + 1) / (options.Rounds + 2), options.Timeout);
            if (at.Finished) break;
            var coordinatorHost = await cluster.HostSiloAsync(sweepId);
            var victim = round % 2 == 0
                ? cluster.Live(coordinatorHost)
                : cluster.Silos.Where(x => !x.HasExited).OrderBy(_ => random.Next()).First();
            log($"round {round}: killing {victim.Name}{(victim.Name == coordinatorHost ? " (coordinator)" : "")} at {at.TrialsDone}/{at.TrialsTotal}");
            victim.KillHard();
            lastKillAt = DateTimeOffset.UtcNow;
            kills++;
            if (victim.Name == coordinatorHost) coordinatorKills++;
            if (round == 2)
            {
                var moved = await cluster.HostSiloAsync(sweepId, except: victim.Name);
                log($"round {round}: coordinator re-activated on {moved}; killing it too");
                cluster.Live(moved).KillHard();
                lastKillAt = DateTimeOffset.UtcNow;
                kills++; coordinatorKills++;
                survivors = cluster.Silos.Where(x => !x.HasExited).ToList();
                await Task.Delay(random.Next(0, 1500));
                cluster.RestartSilo(moved);
            }
            else survivors = cluster.Silos.Where(x => !x.HasExited).ToList();
            await Task.Delay(random.Next(500, 3000));
            cluster.RestartSilo(victim.Name);
            if (random.Next(2) == 0) cluster.Reconnect();
        }

        var done = await cluster.WaitForAsync(sweepId, p => p.Finished, options.Timeout);
        var rows = await cluster.StoredAsync(sweepId);
        // A silo that lived through the last kill must have kept its shard working after it, when enough work was left
        // then for every shard to get some (shards lease one context of a few trials at a time).
        var after = rows.Where(r => r.CompletedAt > lastKillAt).ToList();
        var idle = after.Count < 16 * Math.Max(1, survivors.Count) ? [] : survivors.Where(x => !x.HasExited)
            .Where(s => !after.Any(r => r.Silo == s.Name)).Select(s => s.Name).ToList();
        return new ChaosReport(options.Seed, kills, coordinatorKills, done, rows.Count, rows.Select(r => r.TrialId).Distinct().Count(),
            rows.Count(r => r.Status != "ok"), LongestGap(rows, submittedAt), idle, clock.Elapsed);
    }

    /// <summary>
    /// The longest time in which no trial was stored, from the submission to the last trial, by the rows' own completion
    /// times (the store's record, not what a client that may itself be waiting on a dead gateway happened to see).
    /// </summary>
    static TimeSpan LongestGap(IReadOnlyList<TrialResult> rows, DateTimeOffset submittedAt)
    {
        var longest = TimeSpan.Zero;
        var previous = submittedAt;
        foreach (var at in rows.Select(r => r.CompletedAt).Order())
        {
            if (at - previous > longest) longest = at - previous;
            previous = at;
        }
        return longest;
    }
}
