using System.Globalization;
using System.Numerics;
using KvGrid.Templating.Runtime.Formatting;
using KvGrid.Templating.Runtime.Values;

namespace KvGrid.Templating.Runtime.Builtins;

/// <summary>Value filters: default, int, float, abs, round, tojson (HuggingFace's json.dumps variant).</summary>
internal static partial class Filters
{
    private static void RegisterConversions()
    {
        Add("default", (_, v, a) =>
        {
            a.Check("default", 2, "default_value", "boolean");
            var fallback = a.Get(0, "default_value", "");
            return v is Undefined || (a.GetBool(1, "boolean", false) && !PyTypes.Truthy(v)) ? fallback : v;
        });
        Table["d"] = Table["default"];
        Add("int", (_, v, a) =>
        {
            a.Check("int", 2, "default", "base");
            return ToInt(v, a.Get(0, "default", 0L), a.GetInt(1, "base", 10, "int"));
        });
        Add("float", (_, v, a) =>
        {
            a.Check("float", 1, "default");
            return ToFloat(v) ?? a.Get(0, "default", 0.0);
        });
        Add("abs", (_, v, _) => v switch
        {
            long l => (object)checked(Math.Abs(l)),
            bool b => b ? 1L : 0L,
            double d => Math.Abs(d),
            _ => throw new JinjaRuntimeError($"bad operand type for abs(): '{PyTypes.Name(v)}'"),
        });
        Add("round", (_, v, a) =>
        {
            a.Check("round", 2, "precision", "method");
            var precision = a.GetInt(0, "precision", 0, "round");
            var method = a.GetString(1, "method", "common");
            if (!PyTypes.IsNumber(v))
                throw new JinjaRuntimeError($"type {PyTypes.Name(v)} doesn't define __round__ method");
            switch (method)
            {
                case "common":
                    if (PyTypes.IsInteger(v))
                        return precision >= 0 ? PyTypes.ToLong(v) : (long)RoundHalfEven(PyTypes.ToLong(v), (int)precision);
                    return RoundHalfEven(PyTypes.ToDouble(v), (int)precision);
                case "ceil":
                case "floor":
                    var scale = Math.Pow(10, precision);
                    var scaled = PyTypes.ToDouble(v) * scale;
                    return (method == "ceil" ? Math.Ceiling(scaled) : Math.Floor(scaled)) / scale;
                default:
                    throw new JinjaRuntimeError("method must be common, ceil or floor", "FilterArgumentError");
            }
        });
        Add("tojson", (_, v, a) =>
        {
            a.Check("tojson", 4, "ensure_ascii", "indent", "separators", "sort_keys");
            return PyJson.Dumps(v, a.GetBool(0, "ensure_ascii", false), a.Get(1, "indent"), a.Get(2, "separators"), a.GetBool(3, "sort_keys", false));
        });
    }

    /// <summary>jinja2's do_int: int(value[, base]); on failure int(float(value)); else the default.</summary>
    private static object? ToInt(object? value, object? fallback, long numberBase)
    {
        switch (value)
        {
            case Undefined u:
                throw u.Fail();
            case long or bool:
                return PyTypes.ToLong(value);
            case double d:
                if (double.IsInfinity(d))
                    throw new JinjaRuntimeError("cannot convert float infinity to integer", "OverflowError");
                return double.IsNaN(d) ? fallback : (long)Math.Truncate(d);
            case string or Markup:
                var text = PyTypes.AsString(value)!;
                if (TryParsePythonInt(text, (int)numberBase, out var parsed))
                    return parsed;
                if (ToFloat(value) is double f && double.IsFinite(f))
                    return (long)Math.Truncate(f);
                return fallback;
            default:
                return fallback;
        }
    }

    private static bool TryParsePythonInt(string text, int numberBase, out long result)
    {
        result = 0;
        var s = PyStrings.Strip(text, null, true, true);
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.Length >= 2 && s[0] == '0' && char.ToLowerInvariant(s[1]) is 'x' or 'o' or 'b')
        {
            var prefixBase = char.ToLowerInvariant(s[1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            if (numberBase == 0 || numberBase == prefixBase)
            {
                numberBase = prefixBase;
                s = s[2..];
                if (s.StartsWith('_'))
                    s = s[1..];
            }
        }
        if (numberBase == 0)
            numberBase = 10;
        if (s.Length == 0 || s[0] == '_' || s[^1] == '_' || s.Contains("__"))
            return false;
        var value = BigInteger.Zero;
        foreach (var c in s)
        {
            if (c == '_')
                continue;
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= numberBase)
                return false;
            value = value * numberBase + digit;
        }
        if (negative)
            value = -value;
        if (value > long.MaxValue || value < long.MinValue)
            throw new JinjaRuntimeError("integer overflow: values beyond 64 bits are not supported", "OverflowError");
        result = (long)value;
        return true;
    }

    /// <summary>Python's float(x), or null where Python raises TypeError/ValueError.</summary>
    private static double? ToFloat(object? value)
    {
        switch (value)
        {
            case Undefined u:
                throw u.Fail();
            case long or bool or double:
                return PyTypes.ToDouble(value);
            case string or Markup:
                var s = PyStrings.Strip(PyTypes.AsString(value)!, null, true, true).ToLowerInvariant();
                var sign = 1.0;
                var body = s;
                if (body.Length > 0 && body[0] is '+' or '-')
                {
                    sign = body[0] == '-' ? -1 : 1;
                    body = body[1..];
                }
                if (body is "inf" or "infinity")
                    return sign * double.PositiveInfinity;
                if (body == "nan")
                    return double.NaN;
                if (body.Length == 0 || body.Contains("__") || body.StartsWith('_') || body.EndsWith('_') || body.Contains("_.") || body.Contains("._")
                    || body.Contains("_e") || body.Contains("e_") || !body.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or '+' or '-' or '_'))
                    return null;
                return double.TryParse(s.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
            default:
                return null;
        }
    }

    /// <summary>Python's round(float, n): exact half-to-even rounding of the binary value at n decimals.</summary>
    private static double RoundHalfEven(double value, int digits)
    {
        if (!double.IsFinite(value) || value == 0)
            return value;
        if (digits > 330)
            return value;
        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
            exponent++;
        else
            mantissa |= 1L << 52;
        exponent -= 1075;
        // |value| = mantissa * 2^exponent; scaled = |value| * 10^digits = numerator / denominator.
        BigInteger numerator = mantissa;
        var denominator = BigInteger.One;
        if (exponent >= 0)
            numerator <<= exponent;
        else
            denominator <<= -exponent;
        if (digits >= 0)
            numerator *= BigInteger.Pow(10, digits);
        else
            denominator *= BigInteger.Pow(10, -digits);
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven))
            quotient += 1;
        var text = (negative ? "-" : "") + quotient.ToString(CultureInfo.InvariantCulture) + "e" + (-digits).ToString(CultureInfo.InvariantCulture);
        var result = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return result == 0 && negative ? -0.0 : result;
    }

    private static double RoundHalfEven(long value, int digits) => RoundHalfEven((double)value, digits);
}
