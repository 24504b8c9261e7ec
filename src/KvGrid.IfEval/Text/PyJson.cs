namespace KvGrid.IfEval.Text;

/// <summary>
/// Decides whether Python's <c>json.loads(str)</c> would accept a text: any JSON value at top level,
/// NaN/Infinity/-Infinity accepted, whitespace limited to space/tab/CR/LF, control characters
/// rejected inside strings (strict mode), a leading BOM rejected, duplicate keys and lone
/// surrogate escapes accepted.
/// </summary>
public static class PyJson
{
    public static bool IsValid(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') return false;
        var p = new Parser(text);
        try
        {
            p.SkipWs();
            if (!p.Value(0)) return false;
            p.SkipWs();
            return p.AtEnd;
        }
        catch (IndexOutOfRangeException)
        {
            return false;
        }
    }

    private sealed class Parser(string s)
    {
        private int _i;
        // Python raises RecursionError (not ValueError) past ~1000 levels; treat deeper input as invalid.
        private const int MaxDepth = 900;

        public bool AtEnd => _i == s.Length;

        public void SkipWs()
        {
            while (_i < s.Length && s[_i] is ' ' or '\t' or '\n' or '\r') _i++;
        }

        public bool Value(int depth)
        {
            if (depth > MaxDepth || _i >= s.Length) return false;
            char c = s[_i];
            switch (c)
            {
                case '{': return Object(depth + 1);
                case '[': return Array(depth + 1);
                case '"': return String();
                case 'n': return Literal("null");
                case 't': return Literal("true");
                case 'f': return Literal("false");
                case 'N': return Literal("NaN");
                case 'I': return Literal("Infinity");
                case '-':
                    if (string.CompareOrdinal(s, _i, "-Infinity", 0, 9) == 0) { _i += 9; return true; }
                    return Number();
                default:
                    return c is >= '0' and <= '9' && Number();
            }
        }

        private bool Literal(string lit)
        {
            if (string.CompareOrdinal(s, _i, lit, 0, lit.Length) != 0) return false;
            _i += lit.Length;
            return true;
        }

        private bool Number()
        {
            if (s[_i] == '-') _i++;
            if (_i >= s.Length) return false;
            if (s[_i] == '0') _i++;
            else if (s[_i] is >= '1' and <= '9') { while (_i < s.Length && char.IsAsciiDigit(s[_i])) _i++; }
            else return false;
            // Python's scanner takes a fraction/exponent only when digits follow; otherwise the number ends there.
            if (_i + 1 < s.Length && s[_i] == '.' && char.IsAsciiDigit(s[_i + 1]))
            {
                _i++;
                while (_i < s.Length && char.IsAsciiDigit(s[_i])) _i++;
            }
            if (_i < s.Length && s[_i] is 'e' or 'E')
            {
                int j = _i + 1;
                if (j < s.Length && s[j] is '+' or '-') j++;
                if (j < s.Length && char.IsAsciiDigit(s[j]))
                {
                    while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
                    _i = j;
                }
            }
            return true;
        }

        private bool String()
        {
            _i++;
            while (true)
            {
                if (_i >= s.Length) return false;
                char c = s[_i++];
                if (c == '"') return true;
                if (c < 0x20) return false;
                if (c != '\\') continue;
                if (_i >= s.Length) return false;
                char e = s[_i++];
                switch (e)
                {
                    case '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't': break;
                    case 'u':
                        if (_i + 4 > s.Length) return false;
                        for (int k = 0; k < 4; k++) if (!char.IsAsciiHexDigit(s[_i + k])) return false;
                        _i += 4;
                        break;
                    default: return false;
                }
            }
        }

        private bool Object(int depth)
        {
            _i++;
            SkipWs();
            if (_i < s.Length && s[_i] == '}') { _i++; return true; }
            while (true)
            {
                if (_i >= s.Length || s[_i] != '"' || !String()) return false;
                SkipWs();
                if (_i >= s.Length || s[_i] != ':') return false;
                _i++;
                SkipWs();
                if (!Value(depth)) return false;
                SkipWs();
                if (_i >= s.Length) return false;
                if (s[_i] == '}') { _i++; return true; }
                if (s[_i] != ',') return false;
                _i++;
                SkipWs();
            }
        }

        private bool Array(int depth)
        {
            _i++;
            SkipWs();
            if (_i < s.Length && s[_i] == ']') { _i++; return true; }
            while (true)
            {
                if (!Value(depth)) return false;
                SkipWs();
                if (_i >= s.Length) return false;
                if (s[_i] == ']') { _i++; return true; }
                if (s[_i] != ',') return false;
                _i++;
                SkipWs();
            }
        }
    }
}
