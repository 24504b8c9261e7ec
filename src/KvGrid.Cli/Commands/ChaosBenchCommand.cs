using System.CommandLine;
using KvGrid.Chaos;
using KvGrid.Engine.Checkpoints;
using KvGrid.LocalServices;
using Spectre.Console;

namespace KvGrid.Cli.Commands;

/// <summary>
/// `kvgrid bench chaos`: the chaos soak. A private redis-server and PostgreSQL, three `kvgrid silo` processes, a
/// synthetic sweep on a small random Llama, and many rounds of SIGKILL and restart (the coordinator's silo every other
/// round). Prints what happened and whether every trial was stored exactly once; exit 1 when anything was lost.
/// </summary>
public static class ChaosBenchCommand
{
    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "kill-and-restart rounds", DefaultValueFactory = _ => 12 };
        var count = new Option<int>("--count") { Description = "synthetic examples (contexts = 2 x count, 8 trials each)", DefaultValueFactory = _ => 150 };
        var seed = new Option<int?>("--seed") { Description = "replays a run's choice of victims and delays (default: random, printed)" };
        var cmd = new Command("chaos", "Kill and restart silos of a local three-silo cluster at random during a sweep; count what was lost") { rounds, count, seed };
        cmd.SetRunAsync(async (p, ct) =>
        {
            if (LocalRedis.Binary is null || !LocalPostgres.Available)
                throw new KvGridException("bench chaos needs redis-server and the PostgreSQL server binaries (apt-get install redis-server postgresql)");
            int runSeed = p.GetValue(seed) ?? Environment.TickCount & 0xFFFF;
            var dir = Directory.CreateTempSubdirectory("kvgrid-chaos-").FullName;
            try
            {
                var model = Path.Combine(dir, "model");
                // Big enough that a context takes a moment, so kills land mid-context.
                RandomCheckpoint.Write(model, new RandomCheckpointSpec { HiddenSize = 128, IntermediateSize = 256, NumLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 2, InitStd = 0.1, Seed = 3 });
                var spec = SyntheticSweepSpec.Write(Path.Combine(dir, "chaos.yaml"), "chaos", model, p.GetValue(count), maxNewTokens: 48);
                using var redis = await LocalRedis.StartAsync();
                await using var postgres = await LocalPostgres.StartAsync(ct);
                var results = await postgres.CreateUniqueDatabaseAsync("chaos", ct);
                var home = Environment.GetEnvironmentVariable("KVGRID_HOME") ?? Environment.CurrentDirectory;
                using var cluster = new LocalCluster(home, redis, results, model, _ => { });
                AnsiConsole.MarkupLine($"[bold]chaos[/]: {p.GetValue(rounds)} rounds, {2 * p.GetValue(count)} contexts, seed {runSeed}");
                var report = await ChaosRun.RunAsync(cluster, spec, new ChaosOptions(Rounds: p.GetValue(rounds), Seed: runSeed) { Timeout = TimeSpan.FromMinutes(15) },
                    line => AnsiConsole.WriteLine(line));
                var life = report.Lifetime;
                var table = new Table().AddColumn("figure").AddColumn("value");
                table.AddRow("silo kills (SIGKILL)", $"{report.Kills} ({report.CoordinatorKills} of the coordinator's silo)");
                table.AddRow("coordinator activations", life.Activations.ToString());
                table.AddRow("leases expired", life.LeasesExpired.ToString());
                table.AddRow("trial results reported", $"{life.TrialsComputed} for {report.Final.TrialsTotal} trials ({life.DuplicateResults} for trials already stored)");
                table.AddRow("rows stored", $"{report.RowsStored} ({report.DistinctTrials} distinct, {report.RowsNotOk} not ok)");
                table.AddRow("longest stall", $"{report.LongestStall.TotalSeconds:F1} s");
                table.AddRow("silos idle after the last kill", report.IdleSurvivors.Count == 0 ? "none" : string.Join(", ", report.IdleSurvivors));
                table.AddRow("wall time", $"{report.Elapsed.TotalSeconds:F0} s");
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine(report.LostNothing ? "[green]every planned trial stored exactly once[/]" : "[red]trials were lost or duplicated[/]");
                return report.LostNothing ? 0 : 1;
            }
            finally
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            }
        });
        return cmd;
    }
}
