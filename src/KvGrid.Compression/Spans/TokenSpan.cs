namespace KvGrid.Compression;

/// <summary>Token positions [Start, End) of a labelled part of the context (e.g. the defense instruction).</summary>
public sealed record TokenSpan(int Start, int End, string Label)
{
    public int Length => End - Start;
    public override string ToString() => $"{Label} [{Start}, {End})";
}
