using System.Globalization;

namespace KvGrid.Sweeps.Spec;

/// <summary>
/// Compression ratios: a list (<c>[0.0, 0.5]</c>) or an inclusive range (<c>{ start: 0.0, stop: 0.9, step: 0.1 }</c>,
/// values <c>start + i * step</c> rounded to 1e-9, so 0.1 steps give 0.3 and not 0.30000000000000004). Every ratio
/// lies in [0, 1) (ratio 1 would evict everything); the result is ascending and distinct.
/// </summary>
internal static class RatioParser
{
    private const double Tolerance = 1e-9;

    public static Located<IReadOnlyList<double>> Parse(SpecNode node)
    {
        List<double> ratios;
        if (node.IsMapping)
        {
            ratios = Range(node);
        }
        else
        {
            ratios = [];
            foreach (var item in node.AsScalarOrSequence())
            {
                var ratio = item.AsDouble();
                Check(item, ratio, "");
                if (ratios.Contains(ratio))
                {
                    throw item.Error($"duplicate ratio {Format(ratio)}");
                }

                ratios.Add(ratio);
            }

            if (ratios.Count == 0)
            {
                throw node.Error("list at least one ratio");
            }
        }

        ratios.Sort();
        return new Located<IReadOnlyList<double>>(ratios, node.At);
    }

    private static List<double> Range(SpecNode node)
    {
        var map = node.AsMapping(["start", "stop", "step"]);
        var start = map.Require("start").AsDouble();
        var stopNode = map.Require("stop");
        var stop = stopNode.AsDouble();
        var stepNode = map.Require("step");
        var step = stepNode.AsDouble();
        if (step <= 0)
        {
            throw stepNode.Error($"bad range: step must be positive, not {Format(step)}");
        }

        if (stop < start)
        {
            throw stopNode.Error($"bad range: stop {Format(stop)} is below start {Format(start)}");
        }

        var count = Math.Floor((stop - start) / step + Tolerance) + 1;
        if (count > SpecParser.MaxRatios)
        {
            throw stepNode.Error($"bad range: {count} ratios (at most {SpecParser.MaxRatios})");
        }

        var ratios = new List<double>();
        for (var i = 0; i < (int)count; i++)
        {
            var ratio = Math.Round(start + i * step, 9, MidpointRounding.AwayFromZero);
            Check(node, ratio, " (in the range)");
            ratios.Add(ratio);
        }

        return ratios;
    }

    private static void Check(SpecNode node, double ratio, string where)
    {
        if (ratio is < 0 or >= 1)
        {
            throw node.Error($"ratio {Format(ratio)}{where} is outside [0, 1)");
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
