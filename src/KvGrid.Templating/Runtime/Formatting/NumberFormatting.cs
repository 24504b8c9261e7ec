using System.Globalization;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Formatting;

/// <summary>Python's fixed, exponent and general float formatting (printf and format-spec share these).</summary>
internal static class NumberFormatting
{
    /// <summary>'f': fixed point with <paramref name="precision"/> decimals (no sign: callers add it).</summary>
    public static string Fixed(double absValue, int precision, bool alternate)
    {
        if (double.IsNaN(absValue))
            return "nan";
        if (double.IsInfinity(absValue))
            return "inf";
        var text = absValue.ToString("F" + precision, CultureInfo.InvariantCulture);
        if (alternate && precision == 0)
            text += ".";
        return text;
    }

    /// <summary>'e': d.ddddde+XX with at least two exponent digits.</summary>
    public static string Exponent(double absValue, int precision, bool alternate, bool upper)
    {
        if (double.IsNaN(absValue))
            return upper ? "NAN" : "nan";
        if (double.IsInfinity(absValue))
            return upper ? "INF" : "inf";
        var text = absValue.ToString("E" + precision, CultureInfo.InvariantCulture);
        var ePos = text.IndexOf('E');
        var mantissa = text[..ePos];
        var exponent = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (alternate && precision == 0)
            mantissa += ".";
        var e = upper ? "E" : "e";
        return $"{mantissa}{e}{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    /// <summary>'g': the shorter of 'e' and 'f' for the given significant digits, trailing zeros removed.</summary>
    public static string General(double absValue, int precision, bool alternate, bool upper)
    {
        if (double.IsNaN(absValue))
            return upper ? "NAN" : "nan";
        if (double.IsInfinity(absValue))
            return upper ? "INF" : "inf";
        if (precision == 0)
            precision = 1;
        var exponentText = Exponent(absValue, precision - 1, false, false);
        var exponent = int.Parse(exponentText[(exponentText.IndexOf('e') + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string result;
        if (exponent >= -4 && exponent < precision)
        {
            result = Fixed(absValue, precision - 1 - exponent, alternate);
            if (!alternate)
                result = TrimFractionZeros(result);
        }
        else
        {
            var ePos = exponentText.IndexOf('e');
            var mantissa = exponentText[..ePos];
            if (!alternate)
                mantissa = TrimFractionZeros(mantissa);
            else if (!mantissa.Contains('.'))
                mantissa += ".";
            result = mantissa + exponentText[ePos..];
            if (upper)
                result = result.ToUpperInvariant();
        }
        return result;
    }

    private static string TrimFractionZeros(string text)
    {
        if (!text.Contains('.'))
            return text;
        text = text.TrimEnd('0');
        return text.EndsWith('.') ? text[..^1] : text;
    }

    /// <summary>Integer in base 2/8/10/16 (no sign, no prefix).</summary>
    public static string Integer(long value, int radix, bool upper)
    {
        var magnitude = value == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(value);
        if (radix == 10)
            return magnitude.ToString(CultureInfo.InvariantCulture);
        if (magnitude == 0)
            return "0";
        var digits = new System.Text.StringBuilder();
        var chars = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        while (magnitude > 0)
        {
            digits.Insert(0, chars[(int)(magnitude % (ulong)radix)]);
            magnitude /= (ulong)radix;
        }
        return digits.ToString();
    }
}
