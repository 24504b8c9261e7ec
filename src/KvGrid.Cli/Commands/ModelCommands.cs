using System.CommandLine;
using KvGrid.Engine;
using KvGrid.Engine.Checkpoints;
using KvGrid.Engine.Modeling;
using Spectre.Console;
using static TorchSharp.torch;

namespace KvGrid.Cli.Commands;

/// <summary>`kvgrid model ...`: write seeded random checkpoints in the HF layout, inspect a model folder.</summary>
public static class ModelCommands
{
    public static Command Create()
    {
        var cmd = new Command("model", "Model folders: create random checkpoints, inspect");
        cmd.Add(InitRandom());
        cmd.Add(Inspect());
        return cmd;
    }

    static Command InitRandom()
    {
        var arch = new Option<string>("--arch") { Description = "llama | qwen2", DefaultValueFactory = _ => "llama" };
        var preset = new Option<string?>("--preset") { Description = "tiny (default) | smollm-135m (~135M params, for CPU timing)" };
        var outDir = new Option<string>("--out") { Description = "output folder", Required = true };
        var hidden = new Option<int?>("--hidden-size");
        var inter = new Option<int?>("--intermediate-size");
        var layers = new Option<int?>("--layers");
        var heads = new Option<int?>("--heads");
        var kvHeads = new Option<int?>("--kv-heads");
        var headDim = new Option<int?>("--head-dim");
        var vocab = new Option<int?>("--vocab-size") { Description = "default: the tokenizer's size" };
        var tie = new Option<bool?>("--tie-embeddings");
        var noRopeScaling = new Option<bool>("--no-rope-scaling") { Description = "plain RoPE instead of Llama 3.1's llama3 scaling" };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 42 };
        var dtype = new Option<string>("--dtype") { Description = "float32 | bfloat16 | float16 (stored dtype)", DefaultValueFactory = _ => "float32" };
        var shards = new Option<int>("--shards") { Description = "write N shards plus model.safetensors.index.json", DefaultValueFactory = _ => 1 };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "copy tokenizer.json/tokenizer_config.json from this folder (default: a built-in byte-level tokenizer)" };
        var std = new Option<double?>("--init-std") { Description = "weight standard deviation (default 0.02)" };
        var cmd = new Command("init-random", "Write a HF model folder with seeded random weights")
            { arch, preset, outDir, hidden, inter, layers, heads, kvHeads, headDim, vocab, tie, noRopeScaling, seed, dtype, shards, tokenizer, std };
        cmd.SetRun(p =>
        {
            var spec = (p.GetValue(preset) ?? "tiny") switch
            {
                "tiny" => new RandomCheckpointSpec(),
                "smollm-135m" => RandomCheckpointSpec.SmolLmLike,
                var other => throw new KvGridException($"--preset '{other}': expected tiny or smollm-135m"),
            };
            spec = spec with
            {
                Architecture = p.GetValue(arch) switch
                {
                    "llama" => ModelArchitecture.Llama,
                    "qwen2" => ModelArchitecture.Qwen2,
                    var a => throw new KvGridException($"--arch '{a}': expected llama or qwen2"),
                },
                HiddenSize = p.GetValue(hidden) ?? spec.HiddenSize,
                IntermediateSize = p.GetValue(inter) ?? spec.IntermediateSize,
                NumLayers = p.GetValue(layers) ?? spec.NumLayers,
                NumAttentionHeads = p.GetValue(heads) ?? spec.NumAttentionHeads,
                NumKeyValueHeads = p.GetValue(kvHeads) ?? spec.NumKeyValueHeads,
                HeadDim = p.GetValue(headDim) ?? spec.HeadDim,
                VocabSize = p.GetValue(vocab) ?? spec.VocabSize,
                TieWordEmbeddings = p.GetValue(tie) ?? spec.TieWordEmbeddings,
                Llama3RopeScaling = spec.Llama3RopeScaling && !p.GetValue(noRopeScaling),
                Seed = p.GetValue(seed),
                DType = TorchRuntime.ParseDType(p.GetValue(dtype), CPU),
                Shards = Math.Max(1, p.GetValue(shards)),
                TokenizerDir = p.GetValue(tokenizer),
                InitStd = p.GetValue(std) ?? spec.InitStd,
            };
            var dir = p.GetValue(outDir)!;
            RandomCheckpoint.Write(dir, spec);
            var config = ModelConfig.Load(dir);
            Console.WriteLine($"wrote {dir}: {ModelConfig.ArchitectureName(config.Architecture)}, {ModelParameters.CountParameters(config):N0} parameters, {TorchRuntime.DTypeName(spec.DType)}, {spec.Shards} shard(s)");
            return 0;
        });
        return cmd;
    }

    static Command Inspect()
    {
        var dir = new Argument<string>("dir") { Description = "model folder" };
        var cmd = new Command("inspect", "Validate a model folder and print its shape") { dir };
        cmd.SetRun(p =>
        {
            var path = p.GetValue(dir)!;
            ModelFolder.Check(path);
            var config = ModelConfig.Load(path);
            using (var ckpt = SafetensorsCheckpoint.Open(path)) { } // validates every header
            var table = new Table().AddColumn("field").AddColumn("value");
            table.AddRow("architecture", ModelConfig.ArchitectureName(config.Architecture));
            table.AddRow("parameters", ModelParameters.CountParameters(config).ToString("N0"));
            table.AddRow("layers", config.NumLayers.ToString());
            table.AddRow("hidden / intermediate", $"{config.HiddenSize} / {config.IntermediateSize}");
            table.AddRow("heads / kv heads / head dim", $"{config.NumAttentionHeads} / {config.NumKeyValueHeads} / {config.HeadDim}");
            table.AddRow("vocab", config.VocabSize.ToString());
            table.AddRow("rope", config.RopeScaling is null ? $"theta {config.RopeTheta}" : $"theta {config.RopeTheta}, {config.RopeScaling.Type} x{config.RopeScaling.Factor}");
            table.AddRow("tied embeddings", config.TieWordEmbeddings.ToString());
            table.AddRow("eos ids", string.Join(",", config.EosTokenIds));
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}
