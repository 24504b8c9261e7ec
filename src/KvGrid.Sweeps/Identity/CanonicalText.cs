using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KvGrid.Sweeps.Identity;

/// <summary>
/// Builds the unambiguous text that content-derived ids hash: one <c>field=length:value</c> line per field, so no
/// value can imitate a field boundary whatever characters it holds. Numbers use invariant round-trip formats.
/// </summary>
internal sealed class CanonicalText
{
    private readonly StringBuilder _text = new();

    public CanonicalText Add(string field, string? value)
    {
        value ??= "\u2205"; // null and "" must differ
        _text.Append(field).Append('=').Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
        return this;
    }

    public CanonicalText Add(string field, double value) => Add(field, value.ToString("R", CultureInfo.InvariantCulture));

    public CanonicalText Add(string field, long value) => Add(field, value.ToString(CultureInfo.InvariantCulture));

    public CanonicalText Add(string field, bool value) => Add(field, value ? "true" : "false");

    public override string ToString() => _text.ToString();

    /// <summary>The first 32 hex digits (128 bits) of the SHA-256 of the UTF-8 text, lower case.</summary>
    public string Hash() => HashOf(ToString());

    public static string HashOf(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
