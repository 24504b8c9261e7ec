using System.CommandLine;
using KvGrid.Engine;
using KvGrid.Organism;

namespace KvGrid.Cli.Commands;

/// <summary>`kvgrid organism train|eval`: train the bundled model organism from a seed, and check it held-out.</summary>
public static class OrganismCommands
{
    public static Command Create()
    {
        var cmd = new Command("organism", "The model organism: a tiny Llama trained by KvGrid on the synthetic suite");
        cmd.Add(Train());
        cmd.Add(Eval());
        return cmd;
    }

    static Command Train()
    {
        var defaults = new TrainingOptions();
        var seed = new Option<ulong>("--seed") { Description = "data, initialisation and batch-order seed", DefaultValueFactory = _ => defaults.Seed };
        var outDir = new Option<string>("--out") { Description = "output model folder (HF layout)", Required = true };
        var steps = new Option<int>("--steps") { Description = "optimizer steps", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch-size") { Description = "conversations per step", DefaultValueFactory = _ => defaults.BatchSize };
        var lr = new Option<double>("--learning-rate") { Description = "peak AdamW learning rate", DefaultValueFactory = _ => defaults.LearningRate };
        var warmup = new Option<int?>("--warmup") { Description = $"warmup steps (default {defaults.WarmupSteps}, capped at a fifth of --steps)" };
        var threads = new Option<int>("--threads") { Description = "torch CPU threads (results do not depend on it)", DefaultValueFactory = _ => defaults.Threads };
        var saveEvery = new Option<int>("--save-every") { Description = "also write the checkpoint every N steps (0: only at the end)", DefaultValueFactory = _ => defaults.SaveEvery };
        var drills = new Option<int>("--drills") { Description = "copy drills added to the 8 suite conversations of each example", DefaultValueFactory = _ => defaults.DrillsPerExample };
        var copySteps = new Option<int>("--copy-phase-steps") { Description = "drill-heavy steps at the start", DefaultValueFactory = _ => defaults.CopyPhaseSteps };
        var copyDrills = new Option<int>("--copy-phase-drills") { Description = "drills per example during the copy phase", DefaultValueFactory = _ => defaults.CopyPhaseDrillsPerExample };
        var shareWords = new Option<bool>("--share-word-variants") { Description = "train one shared embedding row per word across its case and space variants", DefaultValueFactory = _ => defaults.ShareWordVariants };
        var hidden = new Option<int>("--hidden") { Description = "hidden size", DefaultValueFactory = _ => defaults.Shape.HiddenSize };
        var intermediate = new Option<int>("--intermediate") { Description = "MLP size", DefaultValueFactory = _ => defaults.Shape.IntermediateSize };
        var layers = new Option<int>("--layers") { Description = "decoder layers", DefaultValueFactory = _ => defaults.Shape.NumLayers };
        var heads = new Option<int>("--heads") { Description = "query heads (hidden must divide by it)", DefaultValueFactory = _ => defaults.Shape.NumAttentionHeads };
        var kvHeads = new Option<int>("--kv-heads") { Description = "key/value heads (heads must divide by it)", DefaultValueFactory = _ => defaults.Shape.NumKeyValueHeads };
        var cmd = new Command("train", "Train the organism from scratch on CPU and write a HF model folder")
            { seed, outDir, steps, batch, lr, warmup, threads, saveEvery, drills, copySteps, copyDrills, shareWords, hidden, intermediate, layers, heads, kvHeads };
        cmd.SetRun(p =>
        {
            int n = p.GetValue(steps);
            if (n < 1) throw new KvGridException($"--steps {n}: must be at least 1");
            if (p.GetValue(batch) < 1) throw new KvGridException($"--batch-size {p.GetValue(batch)}: must be at least 1");
            if (p.GetValue(drills) < 0 || p.GetValue(copyDrills) < 0 || p.GetValue(copySteps) < 0)
                throw new KvGridException("--drills, --copy-phase-drills and --copy-phase-steps must not be negative");
            var shape = defaults.Shape with
            {
                HiddenSize = p.GetValue(hidden), IntermediateSize = p.GetValue(intermediate), NumLayers = p.GetValue(layers),
                NumAttentionHeads = p.GetValue(heads), NumKeyValueHeads = p.GetValue(kvHeads),
            };
            shape.Validate();
            var options = defaults with
            {
                Seed = p.GetValue(seed), Steps = n, BatchSize = p.GetValue(batch), LearningRate = p.GetValue(lr),
                WarmupSteps = p.GetValue(warmup) ?? Math.Min(defaults.WarmupSteps, Math.Max(1, n / 5)), Threads = Math.Max(1, p.GetValue(threads)),
                SaveEvery = Math.Max(0, p.GetValue(saveEvery)), DrillsPerExample = p.GetValue(drills),
                CopyPhaseSteps = p.GetValue(copySteps), CopyPhaseDrillsPerExample = p.GetValue(copyDrills),
                ShareWordVariants = p.GetValue(shareWords), Shape = shape,
            };
            var dir = p.GetValue(outDir)!;
            var report = OrganismTrainer.Train(dir, options, Console.WriteLine, onCheckpoint: partial => TrainingArtifacts.Write(dir, partial));
            TrainingArtifacts.Write(dir, report);
            Console.WriteLine($"wrote {dir}: {report.Parameters:N0} parameters, {report.ExamplesUsed} examples, final loss {report.FinalLoss:F4}, {report.Seconds / 60:F1} min");
            return 0;
        });
        return cmd;
    }

    static Command Eval()
    {
        var model = new Option<string?>("--model") { Description = "model folder (default: the bundled organism)" };
        var seed = new Option<ulong>("--seed") { Description = "held-out suite seed (the organism trains on seed 42)", DefaultValueFactory = _ => OrganismDefaults.HeldOutSeed };
        var count = new Option<int>("--count") { Description = "held-out examples", DefaultValueFactory = _ => OrganismDefaults.HeldOutCount };
        var maxNew = new Option<int>("--max-new-tokens") { DefaultValueFactory = _ => OrganismDefaults.MaxNewTokens };
        var write = new Option<bool>("--write") { Description = "write evaluation.json into the model folder (the model card's numbers)" };
        var show = new Option<bool>("--show") { Description = "print every prompt and response" };
        var cmd = new Command("eval", "Held-out check without compression: format rules, refusals, leaks") { model, seed, count, maxNew, write, show };
        cmd.SetRun(p =>
        {
            var dir = p.GetValue(model) ?? Path.Combine(BundledModels.Root, "organism");
            TorchSharp.torch.set_num_threads(Math.Max(1, Math.Min(Environment.ProcessorCount, 2)));
            using var lm = LanguageModel.Load(dir, TorchSharp.torch.CPU, TorchSharp.torch.ScalarType.Float32);
            var result = OrganismEvaluator.Evaluate(lm, p.GetValue(seed), p.GetValue(count), p.GetValue(maxNew), Console.WriteLine, p.GetValue(show) ? Console.WriteLine : null);
            Console.WriteLine($"format rules obeyed (all rules, strict): {result.FormatPromptStrict:P1} of {result.BenignTurns} benign turns (instruction level {result.FormatInstructionStrict:P1})");
            Console.WriteLine($"refusal with the defense:              {result.Refusal:P1} of {result.DefendedAttacks} attacks (leaks {result.DefendedLeak:P1})");
            Console.WriteLine($"leak without the defense:              {result.Leak:P1} of {result.UndefendedAttacks} attacks (mean ROUGE-L recall {result.MeanLeakRougeLRecall:F3})");
            foreach (var (rule, score) in result.PerRule ?? new Dictionary<string, RuleScore>())
                Console.WriteLine($"  {rule,-45} {score.Obeyed,3}/{score.Turns}");
            if (p.GetValue(write)) TrainingArtifacts.WriteEvaluation(dir, result);
            return 0;
        });
        return cmd;
    }
}
