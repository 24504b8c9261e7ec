using KvGrid.Engine.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace KvGrid.Engine.Modeling;

/// <summary>Rotate-half rotary position embeddings with HF's frequency computation (incl. llama3 scaling).</summary>
public sealed class Rope : IDisposable
{
    readonly Tensor _invFreq; // [D/2] float32
    public Rope(ModelConfig c, Device device)
    {
        using var scope = NewDisposeScope();
        int dim = c.HeadDim;
        // As HF: base ** (arange(0, dim, 2, int64).float() / dim), in float32.
        var exponents = arange(0, dim, 2, ScalarType.Int64).to(ScalarType.Float32) / dim;
        var invFreq = 1.0f / pow(tensor((float)c.RopeTheta), exponents);
        if (c.RopeScaling is { Type: "llama3" } s) invFreq = Llama3Scaling(invFreq, s);
        else if (c.RopeScaling is { Type: "linear" } lin) invFreq = invFreq / (float)lin.Factor;
        _invFreq = invFreq.to(device).DetachFromDisposeScope();
    }

    // transformers' _compute_llama3_parameters, op for op, in float32.
    static Tensor Llama3Scaling(Tensor invFreq, RopeScaling s)
    {
        double factor = s.Factor, low = s.LowFreqFactor, high = s.HighFreqFactor, oldLen = s.OriginalMaxPositionEmbeddings;
        double lowFreqWavelen = oldLen / low, highFreqWavelen = oldLen / high;
        var wavelen = 2 * Math.PI / invFreq;
        var scaled = where(wavelen > lowFreqWavelen, invFreq / factor, invFreq);
        var smooth = (oldLen / wavelen - low) / (high - low);
        var smoothed = (1 - smooth) * scaled / factor + smooth * scaled;
        var isMedium = (wavelen < highFreqWavelen).logical_not().logical_and((wavelen > lowFreqWavelen).logical_not());
        return where(isMedium, smoothed, scaled);
    }

    /// <summary>cos and sin for positions [B,S], shaped [B,1,S,D] in the given dtype.</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positions, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var freqs = positions.to(ScalarType.Float32).unsqueeze(-1) * _invFreq; // [B,S,D/2]
        var emb = cat([freqs, freqs], -1);
        var cos = emb.cos().to(dtype).unsqueeze(1);
        var sin = emb.sin().to(dtype).unsqueeze(1);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([x2.neg(), x1], -1);
        return x * cos + rotated * sin;
    }

    public void Dispose() => _invFreq.Dispose();
}
