namespace KvGrid.Organism;

/// <summary>The training recipe. Defaults are the committed organism's recipe (seed 42).</summary>
public sealed record TrainingOptions
{
    public ulong Seed { get; init; } = 42;
    /// <summary>At 10,000 steps the organism never learned to copy the start word (model card, runs E and J).</summary>
    public int Steps { get; init; } = 15000;
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 3e-3;
    public double MinLearningRateFraction { get; init; } = 0.1;
    public int WarmupSteps { get; init; } = 200;
    public double WeightDecay { get; init; } = 0.01;
    public double GradientClip { get; init; } = 1.0;
    public int Threads { get; init; } = 2;
    /// <summary>Write the checkpoint every this many steps (0: only at the end).</summary>
    public int SaveEvery { get; init; } = 500;
    /// <summary>Examples of the suite used to build the vocabulary (far more than any word list needs).</summary>
    public int VocabularyExamples { get; init; } = 4000;
    /// <summary>Copy drills (<see cref="CopyDrills"/>) added to the 8 suite conversations of each example after the copy phase.</summary>
    public int DrillsPerExample { get; init; } = 2;
    /// <summary>
    /// The first steps are drill-heavy: measured with 4 heads of 32, copying random prompts appeared abruptly after
    /// ~1,700 steps with 16 drills per example and not within 3,500 steps with 2 (see the model card).
    /// </summary>
    public int CopyPhaseSteps { get; init; } = 2000;
    public int CopyPhaseDrillsPerExample { get; init; } = 16;

    /// <summary>Train the embedding as per-piece rows plus one shared row per word (<see cref="SharedWordEmbedding"/>).</summary>
    public bool ShareWordVariants { get; init; } = false;

    public int DrillsAt(int step) => step < CopyPhaseSteps ? CopyPhaseDrillsPerExample : DrillsPerExample;
    public OrganismShape Shape { get; init; } = new();

    /// <summary>Learning rate at a step: linear warmup, then cosine decay to MinLearningRateFraction.</summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        double progress = Steps <= WarmupSteps ? 1 : (double)(step - WarmupSteps) / (Steps - WarmupSteps);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
        return LearningRate * (MinLearningRateFraction + (1 - MinLearningRateFraction) * cosine);
    }
}
