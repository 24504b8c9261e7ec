using System.CommandLine;
using System.Globalization;
using KvGrid.Sweeps;
using Spectre.Console;

namespace KvGrid.Cli.Commands;

/// <summary>`kvgrid sweep plan SPEC`: validates a sweep spec and shows what it expands to and roughly how long it runs.</summary>
public static class SweepPlanCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "sweep spec (YAML); see examples/sweeps/" };
        var decode = new Option<double>("--decode-tokens-per-second")
        {
            Description = "decode throughput of one shard, for the estimate",
            DefaultValueFactory = _ => PlanThroughput.CpuDefault.DecodeTokensPerSecond,
        };
        var prefill = new Option<double>("--prefill-tokens-per-second")
        {
            Description = "prefill throughput of one shard, for the estimate",
            DefaultValueFactory = _ => PlanThroughput.CpuDefault.PrefillTokensPerSecond,
        };
        var cmd = new Command("plan", "Validate a sweep spec; print its axes, contexts, trials and estimated work") { spec, decode, prefill };
        cmd.SetRun(p =>
        {
            foreach (var (option, value) in new[] { (decode, p.GetValue(decode)), (prefill, p.GetValue(prefill)) })
                if (!(value > 0)) throw new KvGridException($"{option.Name} {value.ToString(CultureInfo.InvariantCulture)}: must be a positive number");
            var loaded = SweepSpec.Load(p.GetValue(spec)!);
            var expansion = SweepExpander.Expand(loaded);
            Render(SweepPlan.For(expansion, new PlanThroughput(p.GetValue(prefill), p.GetValue(decode))));
            return 0;
        });
        return cmd;
    }

    static void Render(SweepPlan plan)
    {
        var x = plan.Expansion;
        AnsiConsole.MarkupLine($"sweep [bold]{Markup.Escape(x.Name)}[/] ({Markup.Escape(x.Benchmark)}), id {Markup.Escape(x.SweepId)}");

        var axes = new Table().AddColumn("axis").AddColumn(new TableColumn("count").RightAligned()).AddColumn("values");
        foreach (var axis in x.Axes)
            axes.AddRow(Markup.Escape(axis.Axis), N(axis.Count), Markup.Escape(Preview(axis.Values)));
        AnsiConsole.Write(axes);

        if (x.Skipped.Count > 0)
        {
            var skipped = new Table { Title = new TableTitle("skipped combinations (the remedy cannot apply)") }
                .AddColumn("press").AddColumn("remedy").AddColumn("defense").AddColumn("reason")
                .AddColumn(new TableColumn("contexts").RightAligned()).AddColumn(new TableColumn("trials").RightAligned());
            foreach (var s in x.Skipped)
                skipped.AddRow(Markup.Escape(s.Press), Markup.Escape(s.Remedy), Markup.Escape(s.Defense), Markup.Escape(s.Reason), N(s.Contexts), N(s.Trials));
            AnsiConsole.Write(skipped);
        }

        var work = new Table().AddColumn("work").AddColumn(new TableColumn("amount").RightAligned());
        work.AddRow("contexts (work items)", N(plan.ContextCount));
        work.AddRow("prefills (one per context)", N(plan.PrefillCount));
        work.AddRow("trials (ratio x user turn)", N(plan.TrialCount));
        if (x.SkippedContexts > 0) work.AddRow("skipped contexts / trials", $"{N(x.SkippedContexts)} / {N(x.SkippedTrials)}");
        work.AddRow("prefill tokens, contexts (chars/4)", N(plan.ContextPrefillTokens));
        work.AddRow("prefill tokens, user turns (chars/4)", N(plan.TurnPrefillTokens));
        work.AddRow("decode tokens (upper bound)", N(plan.DecodeTokensUpperBound));
        work.AddRow($"estimated time, one shard ({plan.Throughput.PrefillTokensPerSecond:0.#} prefill / {plan.Throughput.DecodeTokensPerSecond:0.#} decode tok/s)",
            Duration(plan.EstimatedTime));
        AnsiConsole.Write(work);
    }

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    static string Preview(IReadOnlyList<string> values) =>
        values.Count <= 6 ? string.Join(", ", values) : string.Join(", ", values.Take(5)) + $", ... ({values.Count - 5} more)";

    static string Duration(TimeSpan t) =>
        t.TotalDays >= 1 ? $"{t.TotalDays:0.0} days" : t.TotalHours >= 1 ? $"{t.TotalHours:0.0} h" : t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.0} min" : $"{t.TotalSeconds:0} s";
}
