using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KvGrid.Contracts;

/// <summary>
/// Content-derived trial ids: the context id (itself a hash of model, system message, press, remedy, decoding,
/// repetition, benchmark item) plus the ratio and the user turn. Same spec, same ids, on every machine; this is
/// what makes result rows idempotent and resume exact.
/// </summary>
public static class TrialIds
{
    public static string For(ContextWork context, double ratio, UserTurn turn) => For(context.ContextId, ratio, turn.TurnId, turn.Text);

    public static string For(string contextId, double ratio, string turnId, string turnText)
    {
        var text = new StringBuilder();
        Field(text, "context", contextId);
        Field(text, "ratio", ratio.ToString("R", CultureInfo.InvariantCulture));
        Field(text, "turn", turnId);
        Field(text, "turn_text", turnText);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    // field=length:value lines: no value can imitate a field boundary.
    static void Field(StringBuilder sb, string name, string value) =>
        sb.Append(name).Append('=').Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
}
