using System.Diagnostics;
using KvGrid.Benchmarks.Synthetic;
using KvGrid.Engine.Checkpoints;
using KvGrid.Engine.Modeling;
using KvGrid.Engine.Tokenization;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace KvGrid.Organism;

/// <summary>One logged training step.</summary>
public sealed record LossPoint(int Step, double Loss, double LearningRate, double Seconds);

/// <summary>What a training run did (written to training.json and the model card).</summary>
public sealed record TrainingReport(
    TrainingOptions Options, int GeneratorVersion, int VocabularySize, long Parameters, int ExamplesUsed,
    long LossTokens, long ValidTokens, double Seconds, double FinalLoss, IReadOnlyList<LossPoint> Curve);

/// <summary>
/// Trains the organism from scratch: writes the tokenizer and config into the output folder, builds the engine's
/// own <see cref="DecoderModel"/> in training mode from seeded weights, and runs AdamW (warmup + cosine) on
/// batches of fresh synthetic conversations with the loss on assistant tokens only. The checkpoint is written as
/// model.safetensors with HF names, so the folder loads through the standard loader.
/// </summary>
public static class OrganismTrainer
{
    /// <param name="onCheckpoint">called after each intermediate checkpoint (every <see cref="TrainingOptions.SaveEvery"/> steps) with the report so far.</param>
    public static TrainingReport Train(string outDir, TrainingOptions options, Action<string>? log = null, CancellationToken cancellationToken = default,
        Action<TrainingReport>? onCheckpoint = null)
    {
        log ??= _ => { };
        Directory.CreateDirectory(outDir);
        var vocabulary = OrganismTokenizer.BuildVocabulary(OrganismCorpus.Texts(options.Seed, options.VocabularyExamples));
        OrganismTokenizer.Write(outDir, vocabulary);
        options.Shape.WriteConfig(outDir, vocabulary.Count);
        var config = ModelConfig.Load(outDir);

        torch.set_num_threads(options.Threads);
        torch.manual_seed((long)options.Seed);
        using var tokenizer = HfTokenizer.Load(outDir);
        var template = ChatTemplate.Load(outDir)!;
        var drills = new CopyDrills(vocabulary);
        int step = 0;
        // Examples are drawn when the batch pool runs dry, so the drill dose follows the step within a pool's lag.
        var batches = new TrainingBatches(new ConversationEncoder(tokenizer, template), i =>
        {
            var example = SyntheticSuite.GenerateExample(options.Seed, i);
            return OrganismCorpus.FromExample(example).Concat(drills.For(options.Seed, example, options.DrillsAt(step)));
        }, options.Seed, options.BatchSize);

        using var model = CreateModel(config, options.Seed);
        long parameters = model.parameters().Sum(p => p.numel());
        log($"organism: vocabulary {vocabulary.Count}, {parameters:N0} parameters, {options.Steps} steps of {options.BatchSize}");
        using var optimizer = optim.AdamW(model.parameters(), lr: options.LearningRate, beta1: 0.9, beta2: 0.95, weight_decay: options.WeightDecay);
        using var sharedWords = options.ShareWordVariants
            ? new SharedWordEmbedding(model.named_parameters().Single(p => p.name == "model.embed_tokens.weight").parameter, vocabulary, options.WeightDecay)
            : null;
        if (sharedWords is not null) log($"organism: {sharedWords.GroupCount} words share an embedding row across their case and space variants");

        var curve = new List<LossPoint>();
        long lossTokens = 0, validTokens = 0;
        var watch = Stopwatch.StartNew();
        for (; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = batches.Next();
            double lr = options.LearningRateAt(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            double loss;
            using (var scope = NewDisposeScope())
            {
                var ids = tensor(batch.Ids);
                var valid = tensor(batch.Valid);
                var targets = tensor(batch.Targets);
                var logits = model.Forward(ids, valid);
                var lossTensor = F.cross_entropy(logits.view(-1, logits.shape[2]), targets.view(-1), ignore_index: TrainingBatches.Ignore);
                optimizer.zero_grad();
                lossTensor.backward();
                nn.utils.clip_grad_norm_(model.parameters(), options.GradientClip);
                optimizer.step();
                sharedWords?.Step(lr);
                loss = lossTensor.item<float>();
            }
            lossTokens += batch.LossTokens;
            validTokens += batch.ValidTokens;
            curve.Add(new LossPoint(step + 1, loss, lr, watch.Elapsed.TotalSeconds));
            if ((step + 1) % 25 == 0 || step == 0 || step + 1 == options.Steps)
                log($"step {step + 1}/{options.Steps} loss {loss:F4} lr {lr:E2} ({watch.Elapsed.TotalSeconds:F0} s)");
            // Intermediate checkpoints: a long run interrupted still leaves a usable (and honestly labelled) model.
            if (options.SaveEvery > 0 && (step + 1) % options.SaveEvery == 0 && step + 1 < options.Steps)
            {
                SafetensorsWriter.WriteCheckpoint(outDir, model.HfTensors().ToList());
                onCheckpoint?.Invoke(Report());
            }
        }

        SafetensorsWriter.WriteCheckpoint(outDir, model.HfTensors().ToList());
        return Report();

        TrainingReport Report() => new(options, SyntheticSuite.GeneratorVersion, vocabulary.Count, parameters, batches.ExamplesUsed,
            lossTokens, validTokens, watch.Elapsed.TotalSeconds, curve.TakeLast(Math.Min(50, curve.Count)).Average(p => p.Loss), curve.ToList());
    }

    /// <summary>
    /// Seeded initialisation as HF Llama's _init_weights: normal(0, 0.02) for embeddings and projections, ones for
    /// norms; the residual-output projections (o_proj, down_proj) scaled by 1/sqrt(2 layers), GPT-2 style, so deep
    /// residual sums start small.
    /// </summary>
    public static DecoderModel CreateModel(ModelConfig config, ulong seed)
    {
        using var gen = new torch.Generator(seed);
        double residualStd = 0.02 / Math.Sqrt(2.0 * config.NumLayers);
        return DecoderModel.Create(config, (name, shape) =>
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) return ones(shape);
            double std = name.EndsWith("o_proj.weight", StringComparison.Ordinal) || name.EndsWith("down_proj.weight", StringComparison.Ordinal) ? residualStd : 0.02;
            return randn(shape, generator: gen) * std;
        }, ScalarType.Float32, CPU, trainable: true);
    }
}
