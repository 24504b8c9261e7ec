using KvGrid.Engine.Checkpoints;
using KvGrid.Engine.Modeling;
using static TorchSharp.torch;

namespace KvGrid.Compression;

/// <summary>
/// A prefill hook that scores every layer once (no pruning during prefill) and then yields the kept positions for
/// any number of ratios: scores never depend on the ratio, so a 10-ratio sweep costs one prefill. The caller prunes
/// with <c>context.Select(compressor.KeptPositions(ratio))</c>. Observing a new prefill (layer 0 again) replaces
/// the previous scores.
/// </summary>
public sealed class ContextCompressor : IPrefillHook, IDisposable
{
    readonly Tensor?[] _scores;
    readonly CompressionException?[] _failures;
    readonly int[] _whitelist;
    SpanLayout? _layout;
    int _kvHeads;
    Device _device = CPU;

    public IPressScorer Scorer { get; }
    public RemedySpec Remedy { get; }
    public int NumLayers { get; }
    /// <summary>Tokens of the observed context; -1 before a prefill.</summary>
    public int ContextLength { get; private set; } = -1;

    public ContextCompressor(IPressScorer scorer, RemedySpec remedy, ModelConfig config)
    {
        Scorer = scorer; Remedy = remedy; NumLayers = config.NumLayers;
        _scores = new Tensor?[NumLayers];
        _failures = new CompressionException?[NumLayers];
        _whitelist = remedy.WhitelistPositions();
    }

    bool UsesSpanLocalScores => Remedy.IsFair && Remedy.SpanLocalWindows && Scorer is ISpanLocalScorer;

    /// <summary>Fair quotas apply unless the span-local press ranks globally (the fork's StreamingLLM fair press).</summary>
    SpanLayout? QuotaLayout => UsesSpanLocalScores && ((ISpanLocalScorer)Scorer).SpanLocalSelectsGlobally ? null : _layout;

    public PrefillNeeds Needs => UsesSpanLocalScores ? ((ISpanLocalScorer)Scorer).SpanLocalNeeds : Scorer.Needs;

    /// <summary>Checks the remedy's spans against a context length before any compute.</summary>
    public void Validate(int contextLength) => Remedy.Validate(contextLength);

    public void OnLayer(PrefillLayer layer)
    {
        if (layer.Layer == 0)
        {
            Begin((int)layer.Keys.shape[2]);
            _kvHeads = (int)layer.Keys.shape[1];
            _device = layer.Keys.device;
        }
        var input = PressInput.From(layer, NumLayers);
        try
        {
            var scores = UsesSpanLocalScores
                ? ((ISpanLocalScorer)Scorer).ScoreSpanLocal(input, _layout!)
                : Scorer.Score(input);
            // The engine runs the prefill in a dispose scope; the scores must outlive it.
            _scores[layer.Layer] = scores.DetachFromDisposeScope();
        }
        catch (CompressionException e)
        {
            // A press that cannot score this context (e.g. shorter than its window) still allows ratio 0,
            // which is the identity; any other ratio reports the error.
            _failures[layer.Layer] = e;
        }
    }

    void Begin(int contextLength)
    {
        Validate(contextLength);
        ClearScores();
        ContextLength = contextLength;
        _layout = Remedy.IsFair ? new SpanLayout(Remedy.FairSpans, contextLength) : null;
    }

    /// <summary>
    /// Fails before a prefill when the whitelist alone exceeds the uniform budget. Presses with per-layer budgets
    /// (<see cref="ILayerBudget"/>) are checked per layer once scored, in <see cref="KeptPositions"/>.
    /// </summary>
    public void CheckWhitelistFits(int contextLength, double ratio) => CheckWhitelistFits(Scorer, _whitelist.Length, contextLength, ratio);

    /// <inheritdoc cref="CheckWhitelistFits(int, double)"/>
    public static void CheckWhitelistFits(IPressScorer scorer, int whitelisted, int contextLength, double ratio)
    {
        if (ratio == 0 || whitelisted == 0 || scorer is ILayerBudget) return;
        int nKept = NKept(contextLength, ratio);
        if (whitelisted > nKept)
            throw new CompressionException($"whitelist keeps {whitelisted} positions but ratio {ratio.ToString(System.Globalization.CultureInfo.InvariantCulture)} keeps only {nKept} of {contextLength} tokens");
    }

    /// <summary>n_kept = int(L * (1 - ratio)), as kvpress (ratio in [0, 1)).</summary>
    public static int NKept(int contextLength, double ratio)
    {
        CheckRatio(ratio);
        return (int)(contextLength * (1 - ratio));
    }

    /// <summary>The uniform n_kept = int(L * (1 - ratio)); presses with per-layer budgets (PyramidKV) see <see cref="LayerKeptCount"/>.</summary>
    public int KeptCount(int contextLength, double ratio) => NKept(contextLength, ratio);

    /// <summary>Kept entries per KV head in one layer of the observed context.</summary>
    public int LayerKeptCount(int layer, double ratio)
    {
        RequireObserved();
        CheckRatio(ratio);
        if (ratio == 0) return ContextLength;
        return Scorer is ILayerBudget budget ? budget.KeptCount(layer, NumLayers, ContextLength, ratio) : NKept(ContextLength, ratio);
    }

    /// <summary>Per layer, kept positions [Hkv, n_kept] int64 ascending on the model's device (owned by the caller).</summary>
    public IReadOnlyList<Tensor> KeptPositions(double ratio)
    {
        RequireObserved();
        CheckRatio(ratio);
        var kept = new Tensor[NumLayers];
        if (ratio == 0)
        {
            // The identity, as kvpress returns the layer untouched (even when the press could not score it).
            for (int l = 0; l < NumLayers; l++)
                kept[l] = arange(0, ContextLength, ScalarType.Int64, _device).unsqueeze(0).expand(_kvHeads, ContextLength).contiguous();
            return kept;
        }
        for (int l = 0; l < NumLayers; l++)
        {
            if (_failures[l] is { } failure) { DisposeAll(kept); throw new CompressionException(failure.Message); }
            var scores = _scores[l] ?? throw new InvalidOperationException($"layer {l} was not observed");
            int nKept = LayerKeptCount(l, ratio);
            if (_whitelist.Length > nKept)
            {
                DisposeAll(kept);
                throw new CompressionException($"whitelist keeps {_whitelist.Length} positions but ratio {ratio} keeps only {nKept} of {ContextLength} tokens{(Scorer is ILayerBudget ? $" in layer {l}" : "")}");
            }
            kept[l] = KeptSetSelector.Select(scores, nKept, _whitelist, QuotaLayout);
        }
        return kept;
    }

    static void CheckRatio(double ratio)
    {
        if (!(ratio >= 0 && ratio < 1)) throw new CompressionException($"compression ratio {ratio} must be in [0, 1)");
    }

    void RequireObserved()
    {
        if (ContextLength < 0) throw new InvalidOperationException("no prefill observed yet");
    }

    static void DisposeAll(Tensor?[] tensors) { foreach (var t in tensors) t?.Dispose(); }

    void ClearScores()
    {
        for (int l = 0; l < NumLayers; l++) { _scores[l]?.Dispose(); _scores[l] = null; _failures[l] = null; }
    }

    public void Dispose() => ClearScores();
}
