using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KvGrid.Organism;

/// <summary>
/// Files a training run leaves beside the checkpoint for the model card: training.json (recipe, data size,
/// time, final loss), loss.csv (every step) and loss.png (the curve, raw and smoothed).
/// </summary>
public static class TrainingArtifacts
{
    public const string ReportFile = "training.json", CurveCsv = "loss.csv", CurvePng = "loss.png", EvaluationFile = "evaluation.json";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Write(string dir, TrainingReport report)
    {
        var summary = report with { Curve = [] };
        File.WriteAllText(Path.Combine(dir, ReportFile), JsonSerializer.Serialize(summary, Json));
        var csv = new StringBuilder("step,loss,learning_rate,seconds\n");
        foreach (var p in report.Curve)
            csv.Append(CultureInfo.InvariantCulture, $"{p.Step},{p.Loss:R},{p.LearningRate:R},{p.Seconds:F2}\n");
        File.WriteAllText(Path.Combine(dir, CurveCsv), csv.ToString());
        WritePlot(Path.Combine(dir, CurvePng), report.Curve);
    }

    public static void WriteEvaluation(string dir, HeldOutEvaluation evaluation) =>
        File.WriteAllText(Path.Combine(dir, EvaluationFile), JsonSerializer.Serialize(evaluation, Json));

    public static HeldOutEvaluation ReadEvaluation(string dir) =>
        JsonSerializer.Deserialize<HeldOutEvaluation>(File.ReadAllText(Path.Combine(dir, EvaluationFile)))
        ?? throw new InvalidDataException($"{Path.Combine(dir, EvaluationFile)}: empty");

    /// <summary>Training loss per step and its 50-step moving average, log-scaled y so the late plateau stays readable.</summary>
    static void WritePlot(string path, IReadOnlyList<LossPoint> curve)
    {
        if (curve.Count == 0) return;
        var plot = new ScottPlot.Plot();
        double[] steps = curve.Select(p => (double)p.Step).ToArray();
        double[] loss = curve.Select(p => Math.Log10(Math.Max(p.Loss, 1e-6))).ToArray();
        var raw = plot.Add.ScatterLine(steps, loss);
        raw.LegendText = "loss (per step)";
        raw.LineWidth = 1;
        raw.Color = ScottPlot.Colors.Gray.WithAlpha(0.5);
        const int window = 50;
        double[] smooth = loss.Select((_, i) => loss.Skip(Math.Max(0, i - window + 1)).Take(Math.Min(window, i + 1)).Average()).ToArray();
        var avg = plot.Add.ScatterLine(steps, smooth);
        avg.LegendText = $"{window}-step mean";
        avg.LineWidth = 2;
        avg.Color = ScottPlot.Colors.Blue;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = y => Math.Pow(10, y).ToString("0.###", CultureInfo.InvariantCulture),
        };
        plot.Title("Organism training loss (assistant tokens)");
        plot.XLabel("step");
        plot.YLabel("cross-entropy (nats, log scale)");
        plot.ShowLegend();
        plot.SavePng(path, 900, 500);
    }
}
