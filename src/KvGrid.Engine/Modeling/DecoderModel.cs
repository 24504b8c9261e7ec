using KvGrid.Engine.Caching;
using KvGrid.Engine.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace KvGrid.Engine.Modeling;

/// <summary>
/// A Llama / Qwen2 decoder-only causal LM, computed op for op as HF transformers' eager implementation
/// (RMSNorm in float32, rotate-half RoPE, grouped-query attention with float32 softmax, SiLU-gated MLP).
/// Parameters carry the HF names, so the same module loads checkpoints, trains and saves.
/// </summary>
public sealed class DecoderModel : nn.Module
{
    readonly Body model;
    readonly Projection? lm_head;
    readonly Rope _rope;

    public ModelConfig Config { get; }
    public ScalarType DType { get; }
    public Device Device { get; }

    DecoderModel(ModelConfig config, Func<string, long[], Tensor> weights, ScalarType dtype, Device device, bool trainable) : base("DecoderModel")
    {
        Config = config; DType = dtype; Device = device;
        Parameter P(string name, long[] shape) => new(weights(name, shape), requires_grad: trainable);
        var shapes = ModelParameters.Expected(config).ToDictionary(e => e.Name, e => e.Shape);
        model = new Body(config, n => P(n, shapes[n]));
        register_module("model", model);
        if (!config.TieWordEmbeddings)
        {
            lm_head = new Projection(P("lm_head.weight", shapes["lm_head.weight"]), null);
            register_module("lm_head", lm_head);
        }
        _rope = new Rope(config, device);
    }

    /// <summary>Builds a model from a weight provider (name, shape) -> tensor already in the target dtype and device.</summary>
    public static DecoderModel Create(ModelConfig config, Func<string, long[], Tensor> weights, ScalarType dtype, Device device, bool trainable = false) =>
        new(config, weights, dtype, device, trainable);

    /// <summary>Loads a HF model folder. Everything is validated before the first tensor is read.</summary>
    public static DecoderModel Load(string modelDir, ScalarType dtype, Device device)
    {
        ModelFolder.Check(modelDir);
        var config = ModelConfig.Load(modelDir);
        using var checkpoint = SafetensorsCheckpoint.Open(modelDir);
        var expected = new List<(string Name, long[] Shape)>();
        foreach (var (name, shape) in ModelParameters.Enumerate(config)) // lazily: stops at the first missing tensor
        {
            if (!checkpoint.Contains(name))
                throw new CheckpointException($"{checkpoint.Source}: missing tensor '{name}' (needed by {ModelConfig.ArchitectureName(config.Architecture)} with this config.json)");
            var entry = checkpoint.Entry(name);
            if (!entry.Shape.SequenceEqual(shape))
                throw new CheckpointException($"{checkpoint.FileOf(name)}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", shape)}]");
            expected.Add((name, shape));
        }
        var expectedNames = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in checkpoint.TensorNames.Order(StringComparer.Ordinal))
            if (!expectedNames.Contains(name) && !ModelParameters.IsIgnorable(name, config))
                throw new CheckpointException($"{checkpoint.FileOf(name)}: unexpected tensor '{JsonFile.Clean(name)}' (not part of {ModelConfig.ArchitectureName(config.Architecture)} with this config)");
        using var _ = no_grad();
        return new DecoderModel(config, (name, _) => checkpoint.Load(name, dtype, device), dtype, device, trainable: false);
    }

    /// <summary>The HF-named parameters (for saving and training).</summary>
    public IEnumerable<(string Name, Tensor Tensor)> HfTensors() =>
        named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Where(p => p.name != "lm_head.weight" || !Config.TieWordEmbeddings);

    Tensor Embed(Tensor ids) => model.embed_tokens.weight.index_select(0, ids.view(-1)).view(ids.shape[0], ids.shape[1], -1);

    Tensor Logits(Tensor hidden) => F.linear(hidden, Config.TieWordEmbeddings ? model.embed_tokens.weight : lm_head!.weight);

    /// <summary>
    /// Prefills one context (ids: the L context tokens) and returns its cache. The hook observes every layer. The
    /// returned cache carries the float32 next-token logits after the last context token.
    /// </summary>
    public ContextCache Prefill(IReadOnlyList<int> ids, IPrefillHook? hook = null)
    {
        if (ids.Count == 0) throw new ArgumentException("cannot prefill an empty context");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = tensor(ids.Select(i => (long)i).ToArray(), device: Device).unsqueeze(0);
        var positions = arange(0, ids.Count, ScalarType.Int64, Device).unsqueeze(0);
        var prefill = new PrefillAttention(CausalMask(ids.Count, null), Config.NumLayers, hook);
        var h = HiddenStates(input, positions, prefill);
        var last = model.norm.Forward(h.narrow(1, ids.Count - 1, 1));
        var logits = Logits(last).to(ScalarType.Float32).view(-1).MoveToOuterDisposeScope();
        return new ContextCache(prefill.Keys, prefill.Values, ids.Count, logits);
    }

    /// <summary>
    /// Feeds a step of tokens ([B, S] ids, [B, S] validity; padding must be on the left) on top of the decode
    /// state and returns the float32 next-token logits of each row's last position, [B, V]. Each row's tokens
    /// take consecutive positions from its own next position.
    /// </summary>
    public Tensor Step(DecodeState state, long[,] ids, bool[,] valid)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int b = ids.GetLength(0), s = ids.GetLength(1);
        if (b != state.BatchSize) throw new ArgumentException($"step has {b} rows, decode state {state.BatchSize}");
        var pos = new long[b, s];
        for (int r = 0; r < b; r++)
        {
            long p = state.NextPositions[r];
            for (int j = 0; j < s; j++) { pos[r, j] = p; if (valid[r, j]) p++; }
            state.NextPositions[r] = p;
        }
        var input = tensor(ids, device: Device);
        var positions = tensor(pos, device: Device);
        state.MarkValid(tensor(valid, device: Device));
        var h = HiddenStates(input, positions, new DecodeStepAttention(state, s));
        state.Advance(s);
        var last = model.norm.Forward(h.narrow(1, s - 1, 1));
        return Logits(last).to(ScalarType.Float32).view(b, -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Full causal forward over [B, S] tokens (training and full-recompute checks); keyValid [B, S] masks
    /// right padding. Returns logits [B, S, V] in the model dtype. Gradients flow when parameters require them.
    /// </summary>
    public Tensor Forward(Tensor ids, Tensor? keyValid = null)
    {
        using var scope = NewDisposeScope();
        long b = ids.shape[0], s = ids.shape[1];
        var positions = arange(0, s, ScalarType.Int64, Device).unsqueeze(0).expand(b, s);
        var h = HiddenStates(ids, positions, new SequenceAttention(CausalMask(s, keyValid)));
        return Logits(model.norm.Forward(h)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The one pass over the layers that prefill, decode steps and training share (they differ only in the attention
    /// source): embeds ids [B, S] at positions [B, S] and returns the last layer's hidden states, before the final norm.
    /// </summary>
    Tensor HiddenStates(Tensor ids, Tensor positions, IAttentionSource attention)
    {
        var (cos, sin) = _rope.CosSin(positions, DType);
        var h = Embed(ids);
        foreach (var layer in model.layers) h = layer.Forward(h, cos, sin, attention);
        return h;
    }

    /// <summary>[B|1, 1, S, S] boolean mask: causal, and keys must be valid (a query always sees itself, so no row is empty).</summary>
    Tensor CausalMask(long s, Tensor? keyValid)
    {
        var idx = arange(0, s, device: Device);
        var causal = idx.unsqueeze(0) <= idx.unsqueeze(1); // [S(q), S(k)]
        if (keyValid is null) return causal.unsqueeze(0).unsqueeze(0);
        var self = eye(s, dtype: ScalarType.Bool, device: Device);
        var valid = keyValid.to(ScalarType.Bool).unsqueeze(1).logical_or(self.unsqueeze(0)); // [B,S,S]
        return causal.unsqueeze(0).logical_and(valid).unsqueeze(1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _rope.Dispose();
        base.Dispose(disposing);
    }

    // ---- modules (field names are the HF parameter names) ----

    sealed class Body : nn.Module
    {
        public readonly Embedding embed_tokens;
        public readonly Layer[] layers;
        public readonly RmsNorm norm;
        public Body(ModelConfig c, Func<string, Parameter> p) : base("model")
        {
            embed_tokens = new Embedding(p("model.embed_tokens.weight"));
            register_module("embed_tokens", embed_tokens);
            layers = new Layer[c.NumLayers];
            var list = new ModuleList<Layer>();
            for (int l = 0; l < c.NumLayers; l++) { layers[l] = new Layer(c, l, p); list.Add(layers[l]); }
            register_module("layers", list);
            norm = new RmsNorm(p("model.norm.weight"), c.RmsNormEps);
            register_module("norm", norm);
        }
    }

    sealed class Embedding : nn.Module
    {
        public readonly Parameter weight;
        public Embedding(Parameter w) : base("embedding") { weight = w; register_parameter("weight", w); }
    }

    sealed class Layer : nn.Module
    {
        readonly RmsNorm input_layernorm, post_attention_layernorm;
        readonly Attention self_attn;
        readonly Mlp mlp;
        readonly int _index;
        public Layer(ModelConfig c, int index, Func<string, Parameter> p) : base("layer")
        {
            _index = index;
            var prefix = $"model.layers.{index}.";
            input_layernorm = new RmsNorm(p(prefix + "input_layernorm.weight"), c.RmsNormEps);
            self_attn = new Attention(c, prefix + "self_attn.", p);
            post_attention_layernorm = new RmsNorm(p(prefix + "post_attention_layernorm.weight"), c.RmsNormEps);
            mlp = new Mlp(c, prefix + "mlp.", p);
            register_module("input_layernorm", input_layernorm);
            register_module("self_attn", self_attn);
            register_module("post_attention_layernorm", post_attention_layernorm);
            register_module("mlp", mlp);
        }

        /// <summary>
        /// h [B, S, hidden] -> h': attention (over what the source makes visible) and the MLP, each added to the
        /// residual stream. cos and sin [B, 1, S, D] rotate this step's queries and keys.
        /// </summary>
        public Tensor Forward(Tensor h, Tensor cos, Tensor sin, IAttentionSource attention)
        {
            var normed = input_layernorm.Forward(h);
            var (q, k, v) = self_attn.Project(normed, cos, sin);
            var (keys, values, mask) = attention.Visible(_index, k, v);
            var attended = self_attn.Attend(q, keys, values, mask, attention.NeedsWeights, out var weights);
            attention.Attended(_index, q, k, v, weights, normed);
            h = h + self_attn.Output(attended);
            return h + mlp.Forward(post_attention_layernorm.Forward(h));
        }
    }

    sealed class Attention : nn.Module
    {
        readonly Projection q_proj, k_proj, v_proj, o_proj;
        readonly int _queryHeads, _keyValueHeads, _headDim;
        readonly double _scale;
        public Attention(ModelConfig c, string prefix, Func<string, Parameter> p) : base("self_attn")
        {
            _queryHeads = c.NumAttentionHeads; _keyValueHeads = c.NumKeyValueHeads; _headDim = c.HeadDim;
            _scale = 1.0 / Math.Sqrt(c.HeadDim);
            Parameter? Bias(string n, bool has) => has ? p(prefix + n) : null;
            q_proj = new Projection(p(prefix + "q_proj.weight"), Bias("q_proj.bias", c.QkvBias));
            k_proj = new Projection(p(prefix + "k_proj.weight"), Bias("k_proj.bias", c.QkvBias));
            v_proj = new Projection(p(prefix + "v_proj.weight"), Bias("v_proj.bias", c.QkvBias));
            o_proj = new Projection(p(prefix + "o_proj.weight"), Bias("o_proj.bias", c.OutputProjBias));
            register_module("q_proj", q_proj);
            register_module("k_proj", k_proj);
            register_module("v_proj", v_proj);
            register_module("o_proj", o_proj);
        }

        /// <summary>Queries [B,Hq,S,D], keys and values [B,Hkv,S,D]; RoPE applied to queries and keys.</summary>
        public (Tensor Q, Tensor K, Tensor V) Project(Tensor x, Tensor cos, Tensor sin)
        {
            long b = x.shape[0], s = x.shape[1];
            var q = q_proj.Forward(x).view(b, s, _queryHeads, _headDim).transpose(1, 2);
            var k = k_proj.Forward(x).view(b, s, _keyValueHeads, _headDim).transpose(1, 2);
            var v = v_proj.Forward(x).view(b, s, _keyValueHeads, _headDim).transpose(1, 2);
            return (Rope.Apply(q, cos, sin), Rope.Apply(k, cos, sin), v);
        }

        /// <summary>
        /// Grouped-query attention as HF's eager path: matmul, scale, mask, float32 softmax, matmul. Queries
        /// [B, Hq, S, D] over keys and values [B, Hkv, N, D] under a boolean mask [B|1, 1, S, N].
        /// </summary>
        public Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor mask, bool wantWeights, out Tensor? weights)
        {
            long b = q.shape[0], hq = q.shape[1], s = q.shape[2], d = q.shape[3], hkv = k.shape[1], n = k.shape[2];
            long g = hq / hkv;
            var qg = q.reshape(b, hkv, g * s, d);
            var scores = matmul(qg, k.transpose(-1, -2)).view(b, hq, s, n) * _scale;
            scores = scores.masked_fill(mask.logical_not(), float.NegativeInfinity);
            var probs = scores.softmax(-1, ScalarType.Float32).to(q.dtype);
            weights = wantWeights ? probs : null;
            return matmul(probs.view(b, hkv, g * s, n), v).view(b, hq, s, d);
        }

        public Tensor Output(Tensor attn)
        {
            long b = attn.shape[0], s = attn.shape[2];
            return o_proj.Forward(attn.transpose(1, 2).reshape(b, s, -1));
        }
    }

    sealed class Mlp : nn.Module
    {
        readonly Projection gate_proj, up_proj, down_proj;
        public Mlp(ModelConfig c, string prefix, Func<string, Parameter> p) : base("mlp")
        {
            Parameter? Bias(string n, long _) => c.MlpBias ? p(prefix + n) : null;
            gate_proj = new Projection(p(prefix + "gate_proj.weight"), Bias("gate_proj.bias", 0));
            up_proj = new Projection(p(prefix + "up_proj.weight"), Bias("up_proj.bias", 0));
            down_proj = new Projection(p(prefix + "down_proj.weight"), Bias("down_proj.bias", 0));
            register_module("gate_proj", gate_proj);
            register_module("up_proj", up_proj);
            register_module("down_proj", down_proj);
        }
        public Tensor Forward(Tensor x) => down_proj.Forward(F.silu(gate_proj.Forward(x)) * up_proj.Forward(x));
    }

    sealed class Projection : nn.Module
    {
        public readonly Parameter weight;
        readonly Parameter? bias;
        public Projection(Parameter w, Parameter? b) : base("linear")
        {
            weight = w; bias = b;
            register_parameter("weight", w);
            if (b is not null) register_parameter("bias", b);
        }
        public Tensor Forward(Tensor x) => F.linear(x, weight, bias);
    }

    sealed class RmsNorm : nn.Module
    {
        readonly Parameter weight;
        readonly double _eps;
        public RmsNorm(Parameter w, double eps) : base("rmsnorm") { weight = w; _eps = eps; register_parameter("weight", w); }
        public Tensor Forward(Tensor x)
        {
            var dtype = x.dtype;
            var h = x.to(ScalarType.Float32);
            var variance = h.pow(2).mean([-1L], keepdim: true);
            h = h * rsqrt(variance + _eps);
            return weight * h.to(dtype);
        }
    }
}
