using System.Text;

namespace KvGrid.Benchmarks.Leakage;

/// <summary>
/// rouge_score's default tokenizer with <c>use_stemmer=True</c> (rouge/tokenize.py): lowercase, replace every run
/// of characters outside [a-z0-9] by one space, split on whitespace, Porter-stem tokens longer than 3
/// characters, drop empty tokens.
/// </summary>
public static class RougeTokenizer
{
    public static IReadOnlyList<string> Tokenize(string text, bool stem = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var current = new StringBuilder();

        void Flush()
        {
            if (current.Length == 0)
            {
                return;
            }

            var token = current.ToString();
            current.Clear();
            if (stem && token.Length > 3)
            {
                token = PorterStemmer.Stem(token);
            }

            if (token.Length > 0)
            {
                tokens.Add(token);
            }
        }

        foreach (var c in text)
        {
            switch (c)
            {
                case >= 'a' and <= 'z' or >= '0' and <= '9':
                    current.Append(c);
                    break;
                case >= 'A' and <= 'Z':
                    current.Append((char)(c + ('a' - 'A')));
                    break;
                // Python's str.lower() maps exactly two non-ASCII characters to ASCII letters:
                // KELVIN SIGN -> 'k', and LATIN CAPITAL I WITH DOT ABOVE -> 'i' + U+0307 (a separator).
                case '\u212A':
                    current.Append('k');
                    break;
                case '\u0130':
                    current.Append('i');
                    Flush();
                    break;
                default:
                    Flush();
                    break;
            }
        }

        Flush();
        return tokens;
    }
}
