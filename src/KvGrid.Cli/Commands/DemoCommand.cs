using System.CommandLine;
using KvGrid.Results;
using Spectre.Console;

namespace KvGrid.Cli.Commands;

/// <summary>
/// `kvgrid demo`: the README's main command. Runs the bundled demo sweep (examples/sweeps/organism-demo.yaml:
/// synthetic multi-instruction prompts on the trained model organism, presses x remedies x ratios with the defense
/// first and last) through the same embedded path as `sweep run`, and prints the summary tables.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var spec = new Option<string?>("--spec") { Description = "sweep spec to run (default: the bundled demo sweep)" };
        var results = new Option<string>("--results") { Description = "results store", DefaultValueFactory = _ => "sqlite:results/demo.db" };
        var plain = new Option<bool>("--no-progress") { Description = "plain progress lines instead of live bars" };
        var cmd = new Command("demo", "Run the demo sweep on the bundled model organism (embedded, under a minute on 2 CPU cores)") { spec, results, plain };
        cmd.SetRunAsync((p, ct) =>
        {
            var path = p.GetValue(spec) ?? BundledModels.DemoSpec;
            AnsiConsole.MarkupLine($"[bold]KvGrid demo[/]: {Markup.Escape(path)} (embedded silo, results in {Markup.Escape(ResultsStore.Redact(p.GetValue(results)!))})");
            return EmbeddedSweep.RunAsync(path, new EmbeddedSweep.Options(p.GetValue(results)!, Plain: p.GetValue(plain)), ct);
        });
        return cmd;
    }
}

/// <summary>Models shipped in the repository's models/ folder (found through KVGRID_HOME, set by ./kvgrid, or next to the binary).</summary>
public static class BundledModels
{
    public static string Root
    {
        get
        {
            var home = Environment.GetEnvironmentVariable("KVGRID_HOME");
            if (!string.IsNullOrEmpty(home) && Directory.Exists(Path.Combine(home, "models"))) return Path.Combine(home, "models");
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (Directory.Exists(Path.Combine(d.FullName, "models")) && File.Exists(Path.Combine(d.FullName, "KvGrid.sln")))
                    return Path.Combine(d.FullName, "models");
            throw new KvGridException("bundled models not found: run through ./kvgrid or set KVGRID_HOME to the repository root");
        }
    }

    public static string TinyRandom => Path.Combine(Root, "tiny-random-llama");

    public static string Organism => Path.Combine(Root, "organism");

    /// <summary>The demo sweep spec shipped in examples/sweeps.</summary>
    public static string DemoSpec => Path.Combine(Path.GetDirectoryName(Root)!, "examples", "sweeps", "organism-demo.yaml");
}
