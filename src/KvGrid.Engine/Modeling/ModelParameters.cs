using KvGrid.Engine.Checkpoints;

namespace KvGrid.Engine.Modeling;

/// <summary>The HF tensor names and shapes a config implies (the contract between checkpoints and the model).</summary>
public static class ModelParameters
{
    public static IReadOnlyList<(string Name, long[] Shape)> Expected(ModelConfig c)
    {
        var list = new List<(string, long[])>();
        long h = c.HiddenSize, q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim, i = c.IntermediateSize;
        list.Add(("model.embed_tokens.weight", [c.VocabSize, h]));
        for (int l = 0; l < c.NumLayers; l++)
        {
            var p = $"model.layers.{l}.";
            list.Add((p + "input_layernorm.weight", [h]));
            list.Add((p + "self_attn.q_proj.weight", [q, h]));
            list.Add((p + "self_attn.k_proj.weight", [kv, h]));
            list.Add((p + "self_attn.v_proj.weight", [kv, h]));
            if (c.QkvBias)
            {
                list.Add((p + "self_attn.q_proj.bias", [q]));
                list.Add((p + "self_attn.k_proj.bias", [kv]));
                list.Add((p + "self_attn.v_proj.bias", [kv]));
            }
            list.Add((p + "self_attn.o_proj.weight", [h, q]));
            if (c.OutputProjBias) list.Add((p + "self_attn.o_proj.bias", [h]));
            list.Add((p + "post_attention_layernorm.weight", [h]));
            list.Add((p + "mlp.gate_proj.weight", [i, h]));
            list.Add((p + "mlp.up_proj.weight", [i, h]));
            list.Add((p + "mlp.down_proj.weight", [h, i]));
            if (c.MlpBias)
            {
                list.Add((p + "mlp.gate_proj.bias", [i]));
                list.Add((p + "mlp.up_proj.bias", [i]));
                list.Add((p + "mlp.down_proj.bias", [h]));
            }
        }
        list.Add(("model.norm.weight", [h]));
        if (!c.TieWordEmbeddings) list.Add(("lm_head.weight", [c.VocabSize, h]));
        return list;
    }

    /// <summary>Tensors a checkpoint may carry that the model does not use (HF ignores them too).</summary>
    public static bool IsIgnorable(string name, ModelConfig c) =>
        name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (c.TieWordEmbeddings && name == "lm_head.weight");

    public static long CountParameters(ModelConfig c) => Expected(c).Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b));
}
