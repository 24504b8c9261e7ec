namespace KvGrid;

/// <summary>
/// An error caused by the user's input (a file, a flag, a spec). Its message is one line that names the file
/// and the place; hosts print it as is, without a stack trace. Every layer's input errors derive from it.
/// </summary>
public class KvGridException : Exception
{
    public KvGridException(string message) : base(message) { }
    public KvGridException(string message, Exception? inner) : base(message, inner) { }
}
