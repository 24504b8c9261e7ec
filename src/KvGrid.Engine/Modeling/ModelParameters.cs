using KvGrid.Engine.Checkpoints;

namespace KvGrid.Engine.Modeling;

/// <summary>The HF tensor names and shapes a config implies (the contract between checkpoints and the model).</summary>
public static class ModelParameters
{
    public static IReadOnlyList<(string Name, long[] Shape)> Expected(ModelConfig c) => Enumerate(c).ToList();

    /// <summary>The expected tensors, lazily (a checkpoint check stops at the first missing one, whatever num_hidden_layers says).</summary>
    public static IEnumerable<(string Name, long[] Shape)> Enumerate(ModelConfig c)
    {
        long h = c.HiddenSize, q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim, i = c.IntermediateSize;
        yield return ("model.embed_tokens.weight", [c.VocabSize, h]);
        for (int l = 0; l < c.NumLayers; l++)
        {
            var p = $"model.layers.{l}.";
            yield return (p + "input_layernorm.weight", [h]);
            yield return (p + "self_attn.q_proj.weight", [q, h]);
            yield return (p + "self_attn.k_proj.weight", [kv, h]);
            yield return (p + "self_attn.v_proj.weight", [kv, h]);
            if (c.QkvBias)
            {
                yield return (p + "self_attn.q_proj.bias", [q]);
                yield return (p + "self_attn.k_proj.bias", [kv]);
                yield return (p + "self_attn.v_proj.bias", [kv]);
            }
            yield return (p + "self_attn.o_proj.weight", [h, q]);
            if (c.OutputProjBias) yield return (p + "self_attn.o_proj.bias", [h]);
            yield return (p + "post_attention_layernorm.weight", [h]);
            yield return (p + "mlp.gate_proj.weight", [i, h]);
            yield return (p + "mlp.up_proj.weight", [i, h]);
            yield return (p + "mlp.down_proj.weight", [h, i]);
            if (c.MlpBias)
            {
                yield return (p + "mlp.gate_proj.bias", [i]);
                yield return (p + "mlp.up_proj.bias", [i]);
                yield return (p + "mlp.down_proj.bias", [h]);
            }
        }
        yield return ("model.norm.weight", [h]);
        if (!c.TieWordEmbeddings) yield return ("lm_head.weight", [c.VocabSize, h]);
    }

    /// <summary>Tensors a checkpoint may carry that the model does not use (HF ignores them too).</summary>
    public static bool IsIgnorable(string name, ModelConfig c) =>
        name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (c.TieWordEmbeddings && name == "lm_head.weight");

    /// <summary>The number of parameters <see cref="Enumerate"/> lists, in closed form (any num_hidden_layers costs nothing).</summary>
    public static long CountParameters(ModelConfig c)
    {
        long h = c.HiddenSize, q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim, i = c.IntermediateSize;
        long layer = 2 * h + q * h + 2 * kv * h + h * q + 3 * i * h
            + (c.QkvBias ? q + 2 * kv : 0) + (c.OutputProjBias ? h : 0) + (c.MlpBias ? 2 * i + h : 0);
        return c.VocabSize * h + c.NumLayers * layer + h + (c.TieWordEmbeddings ? 0 : c.VocabSize * h);
    }
}
