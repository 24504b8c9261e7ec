using KvGrid.Engine;

namespace KvGrid.Compression;

/// <summary>A press, ratio or remedy the user asked for that cannot be applied (one-line message).</summary>
public class CompressionException : KvGridException
{
    public CompressionException(string message) : base(message) { }
}

/// <summary>A span that is malformed, outside the context, overlapping, or not found in the tokens.</summary>
public sealed class SpanException : CompressionException
{
    public SpanException(string message) : base(message) { }
}
