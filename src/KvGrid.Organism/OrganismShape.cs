using System.Text.Json;
using System.Text.Json.Nodes;

namespace KvGrid.Organism;

/// <summary>
/// The organism's Llama architecture. Defaults were chosen by measurement on 2 CPU cores (see the model card):
/// large enough to copy a ~120-token system prompt and to depend on individual instruction tokens, small enough to
/// train from scratch in under 45 minutes and to stay well under 16 MB in float32.
/// </summary>
public sealed record OrganismShape
{
    public int HiddenSize { get; init; } = 128;
    public int IntermediateSize { get; init; } = 384;
    public int NumLayers { get; init; } = 4;
    public int NumAttentionHeads { get; init; } = 8;
    public int NumKeyValueHeads { get; init; } = 4;
    public int MaxPositionEmbeddings { get; init; } = 512;
    public double RopeTheta { get; init; } = 10000.0;

    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Throws a one-line error for a shape the Llama module cannot build.</summary>
    public void Validate()
    {
        if (HiddenSize < 1 || IntermediateSize < 1 || NumLayers < 1 || NumAttentionHeads < 1 || NumKeyValueHeads < 1)
            throw new KvGridException($"organism shape {this}: every size must be positive");
        if (HiddenSize % NumAttentionHeads != 0 || NumAttentionHeads % NumKeyValueHeads != 0)
            throw new KvGridException($"organism shape: hidden {HiddenSize} must divide by heads {NumAttentionHeads}, heads by kv heads {NumKeyValueHeads}");
        if (HeadDim % 2 != 0) throw new KvGridException($"organism shape: head dim {HeadDim} must be even (RoPE)");
    }

    /// <summary>Writes config.json and generation_config.json (HF Llama layout, tied embeddings, greedy decoding).</summary>
    public void WriteConfig(string dir, int vocabSize)
    {
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["head_dim"] = HeadDim,
            ["hidden_act"] = "silu",
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = RopeTheta,
            ["rope_scaling"] = null,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["vocab_size"] = vocabSize,
            ["tie_word_embeddings"] = true,
            ["attention_bias"] = false,
            ["mlp_bias"] = false,
            ["bos_token_id"] = OrganismTokenizer.BosId,
            ["eos_token_id"] = OrganismTokenizer.EotId,
            ["torch_dtype"] = "float32",
            ["initializer_range"] = 0.02,
        };
        var indented = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString(indented));
        var generation = new JsonObject
        {
            ["bos_token_id"] = OrganismTokenizer.BosId,
            ["eos_token_id"] = new JsonArray(OrganismTokenizer.EotId, OrganismTokenizer.EndOfTextId),
            ["do_sample"] = false,
        };
        File.WriteAllText(Path.Combine(dir, "generation_config.json"), generation.ToJsonString(indented));
    }
}
