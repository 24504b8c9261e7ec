using KvGrid.Contracts;
using System.Globalization;
using KvGrid.Grid;
using Spectre.Console;

namespace KvGrid.Cli.Commands;

/// <summary>Live progress bars and the end-of-sweep summary tables.</summary>
public static class SweepProgressView
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>Follows a sweep until it finishes or the token is cancelled; returns the last progress seen.</summary>
    public static async Task<SweepProgress> FollowAsync(ISweepCoordinatorGrain coordinator, bool plain, CancellationToken ct)
    {
        var progress = await coordinator.GetProgress();
        if (plain || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            int lastDone = -1;
            while (!progress.Finished && !ct.IsCancellationRequested)
            {
                if (progress.TrialsDone != lastDone) Console.WriteLine(Line(progress));
                lastDone = progress.TrialsDone;
                try { await Task.Delay(Poll * 4, ct); } catch (OperationCanceledException) { break; }
                progress = await coordinator.GetProgress();
            }
            Console.WriteLine(Line(progress));
            return progress;
        }
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var overall = ctx.AddTask("[bold]all trials[/]", maxValue: Math.Max(1, progress.TrialsTotal));
                var byPress = new Dictionary<string, ProgressTask>();
                while (true)
                {
                    overall.MaxValue = Math.Max(1, progress.TrialsTotal);
                    overall.Value = progress.TrialsDone + progress.TrialsFailed;
                    overall.Description = $"[bold]all trials[/] {progress.TrialsDone}/{progress.TrialsTotal} {Rate(progress)}";
                    foreach (var axis in progress.ByPress.Concat(progress.ByRatio))
                    {
                        if (!byPress.TryGetValue(axis.Value, out var task))
                            byPress[axis.Value] = task = ctx.AddTask(Markup.Escape(axis.Value), maxValue: Math.Max(1, axis.TrialsTotal));
                        task.Value = axis.TrialsDone;
                    }
                    if (progress.Finished || ct.IsCancellationRequested) break;
                    try { await Task.Delay(Poll, ct); } catch (OperationCanceledException) { break; }
                    progress = await coordinator.GetProgress();
                }
            });
        return progress;
    }

    static string Rate(SweepProgress p) =>
        p.TrialsPerSecond > 0 ? $"({p.TrialsPerSecond:F2} trials/s{(p.Eta is { } eta ? $", ETA {eta:hh\\:mm\\:ss}" : "")})" : "";

    static string Line(SweepProgress p) =>
        $"{p.State}: {p.TrialsDone}/{p.TrialsTotal} trials ({p.TrialsFailed} failed, {p.TrialsSkipped} from earlier runs), {p.ContextsDone}/{p.ContextsTotal} contexts, {p.Prefills} prefills {Rate(p)}";

    public static void PrintStatus(SweepProgress p)
    {
        var table = new Table().AddColumn("sweep").AddColumn(Markup.Escape(p.SweepId));
        table.AddRow("name", Markup.Escape(p.Name));
        table.AddRow("state", p.State.ToString());
        table.AddRow("trials", $"{p.TrialsDone}/{p.TrialsTotal} done, {p.TrialsFailed} failed, {p.TrialsSkipped} from earlier runs");
        table.AddRow("contexts", $"{p.ContextsDone}/{p.ContextsTotal} done, {p.ContextsLeased} leased, {p.ContextsFailed} failed");
        table.AddRow("prefills", p.Prefills.ToString(CultureInfo.InvariantCulture));
        table.AddRow("leases expired", p.LeasesExpired.ToString(CultureInfo.InvariantCulture));
        if (p.Lifetime is { } life)
            table.AddRow("since submission", $"{life.Activations} coordinator activation(s), {life.TrialsComputed} trial results reported ({life.DuplicateResults} for trials already stored), {life.LeasesExpired} leases expired");
        table.AddRow("throughput", Rate(p));
        foreach (var e in p.RecentErrors) table.AddRow("[red]error[/]", Markup.Escape(e));
        AnsiConsole.Write(table);
    }

    /// <summary>Defense success and IFEval accuracy by (press, remedy) x ratio, and where the rows are.</summary>
    public static void Summary(SweepProgress p, IReadOnlyList<AggregateRow> rows, string resultsLocation)
    {
        var ratios = rows.Select(r => r.Ratio).Distinct().Order().ToList();
        foreach (var (title, has, value) in new (string, Func<AggregateRow, bool>, Func<AggregateRow, double>)[]
                 {
                     ("defense success rate (1 - leak rate)", r => r.LeakageTrials > 0, r => r.DefenseSuccess),
                     ("IFEval prompt-level strict accuracy", r => r.IfEvalTrials > 0, r => r.PromptStrictAccuracy),
                 })
        {
            var relevant = rows.Where(has).ToList();
            if (relevant.Count == 0) continue;
            var table = new Table { Title = new TableTitle(title) }.AddColumn("model").AddColumn("press").AddColumn("remedy").AddColumn("order");
            foreach (var ratio in ratios) table.AddColumn(new TableColumn(ratio.ToString("0.0#", CultureInfo.InvariantCulture)).RightAligned());
            foreach (var g in relevant.GroupBy(r => (r.Model, r.Press, r.Remedy, r.DefenseOrder)))
            {
                var cells = new List<string> { Markup.Escape(g.Key.Model), Markup.Escape(g.Key.Press), Markup.Escape(g.Key.Remedy), Markup.Escape(g.Key.DefenseOrder) };
                foreach (var ratio in ratios)
                {
                    var cell = g.FirstOrDefault(r => r.Ratio == ratio);
                    cells.Add(cell is null ? "" : value(cell).ToString("P0", CultureInfo.InvariantCulture));
                }
                table.AddRow(cells.ToArray());
            }
            AnsiConsole.Write(table);
        }
        var state = p.State == SweepState.Completed ? "[green]completed[/]" : $"[yellow]{p.State}[/]";
        AnsiConsole.MarkupLine($"{state}: {p.TrialsDone}/{p.TrialsTotal} trials ({p.TrialsSkipped} from earlier runs), [{(p.TrialsFailed > 0 ? "red" : "grey")}]{p.TrialsFailed} failed[/], {p.ContextsTotal} contexts, {p.Prefills} prefills this run");
        foreach (var e in p.RecentErrors) AnsiConsole.MarkupLine($"[red]error[/] {Markup.Escape(e)}");
        AnsiConsole.MarkupLine($"results: {Markup.Escape(resultsLocation)}");
    }
}
