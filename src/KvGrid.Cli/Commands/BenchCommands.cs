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
        cmd.Add(Grid());
        cmd.Add(ChaosBenchCommand.Create());
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

    static Command Grid()
    {
        var model = new Option<string?>("--model") { Description = "model folder (default: the bundled model organism)" };
        var count = new Option<int>("--count") { Description = "synthetic examples (x3 presses = contexts)", DefaultValueFactory = _ => 8 };
        var cmd = new Command("grid", "Run a fixed embedded sweep and measure trials/s, prefills per context and the overhead outside model compute") { model, count };
        cmd.SetRunAsync(async (p, ct) =>
        {
            using var tmp = new TempFolder();
            var spec = Path.Combine(tmp.Path, "bench-grid.yaml");
            File.WriteAllText(spec, string.Join("\n",
                "name: bench-grid", "benchmark: synthetic", "models:", $"  - {{ name: bench, path: {p.GetValue(model) ?? BundledModels.Organism}, dtype: float32 }}",
                $"synthetic: {{ seed: 5, count: {p.GetValue(count)} }}", "defenses: [synthetic]", "presses: [knorm, snapkv, tova]", "remedies: [none]",
                "ratios: [0.0, 0.25, 0.5, 0.75]", "decoding: { max_new_tokens: 32 }") + "\n");
            var db = Path.Combine(tmp.Path, "bench.db");
            var phases = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
            using var listener = new System.Diagnostics.Metrics.MeterListener();
            listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == KvGrid.Telemetry.ContextPhases.InstrumentName) l.EnableMeasurementEvents(instrument); };
            listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
            {
                foreach (var tag in tags) if (tag.Key == "phase") phases.AddOrUpdate((string)tag.Value!, seconds, (_, s) => s + seconds);
            });
            listener.Start();
            var outcome = await EmbeddedSweep.RunWithOutcomeAsync(spec, new EmbeddedSweep.Options("sqlite:" + db, Plain: true, PrintSummary: false), ct);
            var rows = new List<KvGrid.Contracts.TrialResult>();
            await using (var store = KvGrid.Results.ResultsStore.Open("sqlite:" + db, mustExist: true))
                await foreach (var r in store.ReadAsync(null, ct)) rows.Add(r);
            var p2 = outcome.Progress;
            // Model compute: each context's prefill once (rows of a context share it) plus every trial's decode share.
            double prefillMs = rows.GroupBy(r => r.ContextId).Sum(g => g.First().PrefillMs);
            double decodeMs = rows.Sum(r => r.DecodeMs);
            double windowMs = (rows.Max(r => r.CompletedAt) - outcome.SubmittedAt).TotalMilliseconds;
            double outside = Math.Max(0, windowMs - prefillMs - decodeMs) / windowMs;
            var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("contexts / trials", $"{p2.ContextsTotal} / {p2.TrialsTotal}");
            table.AddRow("prefills per context", (p2.Prefills / (double)Math.Max(1, p2.ContextsTotal)).ToString("F2"));
            table.AddRow("trials/s (submit to last result)", (rows.Count / (windowMs / 1000)).ToString("F1"));
            table.AddRow("model compute (prefill + decode)", $"{(prefillMs + decodeMs) / 1000:F2} s");
            table.AddRow("sweep window", $"{windowMs / 1000:F2} s");
            table.AddRow("share outside model compute", outside.ToString("P1"));
            // Grid overhead: time the shard was not executing a context (leasing, reporting, polling) plus writing rows.
            double gridOverhead = (windowMs / 1000 - phases.GetValueOrDefault("execute") + phases.GetValueOrDefault("store")) * 1000 / windowMs;
            table.AddRow("share in grid overhead (scheduling, messages, storage)", gridOverhead.ToString("P1"));
            foreach (var phase in new[] { "tokenize", "prefill", "prune", "decode", "score (beside decode)", "store", "execute" })
            {
                var key = phase.Split(' ')[0];
                table.AddRow($"  phase: {phase}", $"{phases.GetValueOrDefault(key):F2} s ({phases.GetValueOrDefault(key) * 1000 / windowMs:P1})");
            }
            table.AddRow("process wall (incl. silo start, model load)", $"{outcome.Wall.TotalSeconds:F2} s");
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("kvgrid-bench-").FullName;
        public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
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
