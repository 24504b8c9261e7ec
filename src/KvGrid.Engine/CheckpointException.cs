namespace KvGrid.Engine;

/// <summary>A model folder that cannot be loaded: bad config, bad safetensors, missing or wrong tensors.</summary>
public sealed class CheckpointException : KvGridException
{
    public CheckpointException(string message) : base(message) { }
    public CheckpointException(string message, Exception inner) : base(message, inner) { }
}
