namespace KvGrid.Engine;

/// <summary>
/// An error caused by the user's input (a file, a flag, a spec). Its message is one line that names
/// the file and the place; hosts print it as is, without a stack trace.
/// </summary>
public class KvGridException : Exception
{
    public KvGridException(string message) : base(message) { }
    public KvGridException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A model folder that cannot be loaded: bad config, bad safetensors, missing or wrong tensors.</summary>
public sealed class CheckpointException : KvGridException
{
    public CheckpointException(string message) : base(message) { }
    public CheckpointException(string message, Exception inner) : base(message, inner) { }
}
