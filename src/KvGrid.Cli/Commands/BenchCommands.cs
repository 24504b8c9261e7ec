using System.CommandLine;
using System.Diagnostics;
using KvGrid.Engine;
using KvGrid.Engine.Generation;
using Spectre.Console;

namespace KvGrid.Cli.Commands;

/// <summary>`kvgrid bench ...`: speed and memory figures (printed, never asserted in tests).</summary>
public static class BenchCommands
{
    public static Command Create()
    {
        var cmd = new Command("bench", "Measure speed and memory");
        cmd.Add(Engine());
        return cmd;
    }

    static Command Engine()
    {
        var model = new ModelOptions();
        var promptLen = new Option<int>("--prompt-len") { DefaultValueFactory = _ => 512 };
        var newTokens = new Option<int>("--new-tokens") { DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch") { Description = "continuations decoded together on one context", DefaultValueFactory = _ => 1 };
        var repeats = new Option<int>("--repeats") { DefaultValueFactory = _ => 3 };
        var cmd = new Command("engine", "Prefill and decode throughput of a model") { promptLen, newTokens, batch, repeats };
        model.AddTo(cmd);
        cmd.SetRun(p =>
        {
            var loadWatch = Stopwatch.StartNew();
            using var lm = model.Load(p);
            double loadSeconds = loadWatch.Elapsed.TotalSeconds;
            int l = p.GetValue(promptLen), n = p.GetValue(newTokens), b = p.GetValue(batch), reps = Math.Max(1, p.GetValue(repeats));
            var rng = new Random(42);
            var ids = Enumerable.Range(0, l).Select(_ => rng.Next(0, lm.Model.Config.VocabSize)).ToArray();
            var suffixes = Enumerable.Range(0, b).Select(i => (IReadOnlyList<int>)new[] { rng.Next(0, lm.Model.Config.VocabSize) }).ToList();
            var options = new GenerationOptions { MaxNewTokens = n, StopIds = [] };
            // Warm-up: first calls pay for kernel selection and allocation.
            using (var warm = lm.Model.Prefill(ids[..Math.Min(16, l)])) TextGenerator.GenerateBatch(lm.Model, warm, suffixes, options with { MaxNewTokens = 2 });
            double prefill = double.MaxValue, decode = double.MaxValue;
            for (int r = 0; r < reps; r++)
            {
                var w = Stopwatch.StartNew();
                using var context = lm.Model.Prefill(ids);
                prefill = Math.Min(prefill, w.Elapsed.TotalSeconds);
                w.Restart();
                TextGenerator.GenerateBatch(lm.Model, context, suffixes, options);
                decode = Math.Min(decode, w.Elapsed.TotalSeconds);
            }
            var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("model", $"{lm.Directory} ({TorchRuntime.DTypeName(lm.Model.DType)}, {lm.Model.Device})");
            table.AddRow("threads", TorchSharp.torch.get_num_threads().ToString());
            table.AddRow("load time", $"{loadSeconds:F2} s");
            table.AddRow($"prefill ({l} tokens)", $"{l / prefill:F1} tokens/s ({prefill * 1000:F0} ms)");
            table.AddRow($"decode ({b} x {n} tokens)", $"{b * n / decode:F1} tokens/s ({decode * 1000 / n:F1} ms/step)");
            table.AddRow("peak memory (RSS)", $"{PeakRssMiB():F0} MiB");
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    /// <summary>Peak resident set size of this process (VmHWM), in MiB.</summary>
    public static double PeakRssMiB()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(x => x.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is null) return double.NaN;
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        catch (IOException) { return double.NaN; }
    }
}
