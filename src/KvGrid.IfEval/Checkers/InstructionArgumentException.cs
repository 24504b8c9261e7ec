namespace KvGrid.IfEval.Checkers;

/// <summary>
/// A checker's arguments are missing, of the wrong type or out of range (one-line message naming the
/// argument; loaders prefix it with the file, line and kwargs index).
/// </summary>
public sealed class InstructionArgumentException(string message) : KvGridException(message);
