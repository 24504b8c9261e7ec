namespace KvGrid.Benchmarks.Leakage;

/// <summary>
/// Aggregates over scored responses. With no responses the rates are 0 (leak rate) and 1 (defense success)
/// and the means are zero.
/// </summary>
public sealed record LeakageSummary(
    int Count,
    int Leaked,
    RougeScore MeanRouge1,
    RougeScore MeanRougeL)
{
    public double LeakRate => Count == 0 ? 0 : (double)Leaked / Count;

    /// <summary>The paper's defense success rate: 1 - leak rate.</summary>
    public double DefenseSuccessRate => 1 - LeakRate;
}

/// <summary>Accumulates verdicts into a <see cref="LeakageSummary"/>.</summary>
public sealed class LeakageAccumulator
{
    private int _count;
    private int _leaked;
    private double _r1P, _r1R, _r1F, _rlP, _rlR, _rlF;

    public void Add(LeakageVerdict verdict)
    {
        _count++;
        if (verdict.Leaked)
        {
            _leaked++;
        }

        _r1P += verdict.Rouge.Rouge1.Precision;
        _r1R += verdict.Rouge.Rouge1.Recall;
        _r1F += verdict.Rouge.Rouge1.F1;
        _rlP += verdict.Rouge.RougeL.Precision;
        _rlR += verdict.Rouge.RougeL.Recall;
        _rlF += verdict.Rouge.RougeL.F1;
    }

    public LeakageSummary ToSummary()
    {
        var n = Math.Max(_count, 1);
        return new LeakageSummary(
            _count,
            _leaked,
            new RougeScore(_r1P / n, _r1R / n, _r1F / n),
            new RougeScore(_rlP / n, _rlR / n, _rlF / n));
    }
}
