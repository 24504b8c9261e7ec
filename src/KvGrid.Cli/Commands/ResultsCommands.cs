using System.CommandLine;
using System.Globalization;
using KvGrid.Results;
using Spectre.Console;

namespace KvGrid.Cli.Commands;

/// <summary>`kvgrid results ...`: export the stored trial rows (CSV, Parquet), list the recorded sweeps.</summary>
public static class ResultsCommands
{
    public static Command Create()
    {
        var cmd = new Command("results", "The results store: one row per trial (an SQLite file locally, PostgreSQL in a cluster)");
        cmd.Add(Export());
        cmd.Add(List());
        return cmd;
    }

    static Option<string> StoreOption() => new("--store")
    {
        Description = "results store: sqlite:PATH, a .db file, Host=... or postgresql://...",
        DefaultValueFactory = _ => ResultsStore.DefaultConnection,
    };

    static Command Export()
    {
        var format = new Option<string>("--format") { Description = "csv | parquet", Required = true };
        var sweep = new Option<string?>("--sweep") { Description = "only this sweep's trials (default: every sweep)" };
        var store = StoreOption();
        var output = new Option<string>("--out") { Description = "file to write (its folder is created)", Required = true };
        var cmd = new Command("export", "Write stored trial rows to a CSV or Parquet file, one row per trial") { format, sweep, store, output };
        cmd.SetRunAsync(async (p, ct) =>
        {
            var fmt = p.GetValue(format)!;
            if (!ResultsExporter.Formats.Contains(fmt.Trim().ToLowerInvariant()))
                throw new KvGridException($"--format '{fmt}': expected csv or parquet");
            await using var results = await ResultsStore.OpenAsync(p.GetValue(store)!, mustExist: true, ct);
            var sweepId = p.GetValue(sweep);
            if (sweepId is not null && (await results.CountAsync(sweepId, ct)).Total == 0
                && !(await results.ListSweepsAsync(ct)).Any(s => s.Info.SweepId == sweepId))
                throw new KvGridException($"{results.Description}: no sweep '{sweepId}'");
            var path = p.GetValue(output)!;
            var rows = await ResultsExporter.ExportAsync(results, sweepId, fmt, path, ct);
            Console.WriteLine($"{rows} rows -> {Path.GetFullPath(path)}");
            return 0;
        });
        return cmd;
    }

    static Command List()
    {
        var store = StoreOption();
        var cmd = new Command("list", "Recorded sweeps and their stored trials") { store };
        cmd.SetRunAsync(async (p, ct) =>
        {
            await using var results = await ResultsStore.OpenAsync(p.GetValue(store)!, mustExist: true, ct);
            var table = new Table().AddColumn("sweep").AddColumn("name").AddColumn("state").AddColumn("submitted (UTC)")
                .AddColumn(new TableColumn("ok").RightAligned()).AddColumn(new TableColumn("failed").RightAligned())
                .AddColumn(new TableColumn("contexts").RightAligned());
            foreach (var (info, _) in await results.ListSweepsAsync(ct))
            {
                var counts = await results.CountAsync(info.SweepId, ct);
                table.AddRow(Markup.Escape(info.SweepId), Markup.Escape(info.Name), info.State.ToString(),
                    info.SubmittedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    counts.Ok.ToString(CultureInfo.InvariantCulture), counts.Failed.ToString(CultureInfo.InvariantCulture),
                    counts.Contexts.ToString(CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            var all = await results.CountAsync(null, ct);
            Console.WriteLine($"{results.Description}: {all.Total} trials ({all.Ok} ok, {all.Failed} failed) in {all.Contexts} contexts");
            return 0;
        });
        return cmd;
    }
}
