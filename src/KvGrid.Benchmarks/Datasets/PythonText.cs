namespace KvGrid.Benchmarks.Datasets;

/// <summary>Python string helpers whose exact semantics the upstream loaders rely on.</summary>
internal static class PythonText
{
    /// <summary><c>str.strip()</c>: Python's whitespace includes U+001C..U+001F, which .NET's does not.</summary>
    public static string Strip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsPythonWhitespace(text[start]))
        {
            start++;
        }

        while (end > start && IsPythonWhitespace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    private static bool IsPythonWhitespace(char c) =>
        c is >= '\u001C' and <= '\u001F' || char.IsWhiteSpace(c);
}
