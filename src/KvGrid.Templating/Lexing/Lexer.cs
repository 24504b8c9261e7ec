using System.Globalization;

namespace KvGrid.Templating.Lexing;

/// <summary>
/// jinja2's lexer: splits template text into data and tag tokens, applying whitespace control
/// (<c>{%-</c> <c>-%}</c> <c>{%+</c>), trim_blocks, lstrip_blocks, comments and raw blocks exactly as
/// <c>jinja2.lexer.Lexer.tokeniter</c> does.
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] Operators =
        ["//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"];

    private readonly string _source;
    private readonly string _name;
    private readonly JinjaEnvironmentOptions _options;
    private readonly List<Token> _tokens = new();
    private int _pos;
    private int _line = 1;
    private bool _lineStarting = true;

    private Lexer(string source, string name, JinjaEnvironmentOptions options)
    {
        _source = source;
        _name = name;
        _options = options;
    }

    public static List<Token> Tokenize(string source, string name, JinjaEnvironmentOptions options)
    {
        // jinja2 splits on \r\n, \r and \n and rejoins with \n; one trailing newline is dropped by default.
        source = source.Replace("\r\n", "\n").Replace('\r', '\n');
        if (!options.KeepTrailingNewline && source.EndsWith('\n'))
            source = source[..^1];
        var lexer = new Lexer(source, name, options);
        lexer.Run();
        return lexer._tokens;
    }

    private TemplateException Error(string message) => SyntaxError.Create(_name, _line, message);

    private void Run()
    {
        while (_pos < _source.Length)
        {
            var tagStart = FindTagStart(_pos);
            if (tagStart < 0)
            {
                EmitData(_source[_pos..]);
                break;
            }
            var kind = _source[tagStart + 1];
            if (kind == '%' && TryMatchRaw(tagStart, out var rawSign, out var rawEnd))
            {
                EmitData(ApplyLeftStrip(_source[_pos..tagStart], rawSign, isVariable: false));
                _pos = rawEnd;
                _lineStarting = _source[rawEnd - 1] == '\n';
                LexRawBody();
                continue;
            }
            var sign = tagStart + 2 < _source.Length && _source[tagStart + 2] is '-' or '+' ? _source[tagStart + 2] : '\0';
            EmitData(ApplyLeftStrip(_source[_pos..tagStart], sign, isVariable: kind == '{'));
            _pos = tagStart + 2 + (sign == '\0' ? 0 : 1);
            switch (kind)
            {
                case '#':
                    LexComment();
                    break;
                case '%':
                    _tokens.Add(new Token(TokenKind.BlockBegin, null, _line));
                    LexTag(block: true);
                    break;
                default:
                    _tokens.Add(new Token(TokenKind.VariableBegin, null, _line));
                    LexTag(block: false);
                    break;
            }
        }
        _tokens.Add(new Token(TokenKind.Eof, null, _line));
    }

    private int FindTagStart(int from)
    {
        while (true)
        {
            var i = _source.IndexOf('{', from);
            if (i < 0 || i + 1 >= _source.Length)
                return -1;
            if (_source[i + 1] is '{' or '%' or '#')
                return i;
            from = i + 1;
        }
    }

    /// <summary>Emits a data token; the line counter advances over the original (unstripped) text by the caller's slices.</summary>
    private void EmitData(string text)
    {
        if (text.Length > 0)
            _tokens.Add(new Token(TokenKind.Data, text, _line));
    }

    /// <summary>The OptionalLStrip rule: "-" strips all whitespace before the tag, lstrip_blocks strips indentation.</summary>
    private string ApplyLeftStrip(string text, char sign, bool isVariable)
    {
        _line += CountNewlines(text);
        if (sign == '-')
            return text.TrimEnd(WhitespaceChars);
        if (sign != '+' && _options.LstripBlocks && !isVariable)
        {
            var lineStart = text.LastIndexOf('\n') + 1;
            if ((lineStart > 0 || _lineStarting) && lineStart < text.Length && IsAllWhitespace(text, lineStart))
                return text[..lineStart];
        }
        return text;
    }

    private static readonly char[] WhitespaceChars = Enumerable.Range(0, 0x3001).Select(c => (char)c).Where(c => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f').ToArray();

    private static bool IsAllWhitespace(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (!IsRegexSpace(text[i]))
                return false;
        }
        return true;
    }

    private static bool IsRegexSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    private static int CountNewlines(string text)
    {
        var n = 0;
        foreach (var c in text)
        {
            if (c == '\n')
                n++;
        }
        return n;
    }

    private int SkipWhitespace(int i)
    {
        while (i < _source.Length && IsRegexSpace(_source[i]))
        {
            if (_source[i] == '\n')
                _line++;
            i++;
        }
        return i;
    }

    /// <summary>Matches <c>{%[-+]? raw \s*(-%}\s*|%})</c> at <paramref name="start"/>.</summary>
    private bool TryMatchRaw(int start, out char sign, out int end)
    {
        sign = '\0';
        end = 0;
        var i = start + 2;
        if (i < _source.Length && _source[i] is '-' or '+')
            sign = _source[i++];
        while (i < _source.Length && IsRegexSpace(_source[i]))
            i++;
        if (string.CompareOrdinal(_source, i, "raw", 0, 3) != 0)
            return false;
        i += 3;
        while (i < _source.Length && IsRegexSpace(_source[i]))
            i++;
        if (string.CompareOrdinal(_source, i, "-%}", 0, 3) == 0)
        {
            var j = i + 3;
            while (j < _source.Length && IsRegexSpace(_source[j]))
                j++;
            _line += CountNewlines(_source[start..j]);
            end = j;
            return true;
        }
        if (string.CompareOrdinal(_source, i, "%}", 0, 2) == 0)
        {
            _line += CountNewlines(_source[start..(i + 2)]);
            end = i + 2;
            return true;
        }
        return false;
    }

    private void LexRawBody()
    {
        var search = _pos;
        while (true)
        {
            var tag = _source.IndexOf("{%", search, StringComparison.Ordinal);
            if (tag < 0)
                throw Error("Missing end of raw directive");
            var i = tag + 2;
            var sign = '\0';
            if (i < _source.Length && _source[i] is '-' or '+')
                sign = _source[i++];
            while (i < _source.Length && IsRegexSpace(_source[i]))
                i++;
            if (string.CompareOrdinal(_source, i, "endraw", 0, 6) == 0)
            {
                i += 6;
                while (i < _source.Length && IsRegexSpace(_source[i]))
                    i++;
                var end = MatchBlockEnd(i);
                if (end >= 0)
                {
                    EmitData(ApplyLeftStrip(_source[_pos..tag], sign, isVariable: false));
                    _line += CountNewlines(_source[tag..end]);
                    _pos = end;
                    _lineStarting = _source[end - 1] == '\n';
                    return;
                }
            }
            search = tag + 2;
        }
    }

    /// <summary>Matches <c>\+%}|-%}\s*|%}\n?</c> at <paramref name="i"/>; returns the end position or -1.</summary>
    private int MatchBlockEnd(int i)
    {
        if (string.CompareOrdinal(_source, i, "+%}", 0, 3) == 0)
            return i + 3;
        if (string.CompareOrdinal(_source, i, "-%}", 0, 3) == 0)
        {
            var j = i + 3;
            while (j < _source.Length && IsRegexSpace(_source[j]))
                j++;
            return j;
        }
        if (string.CompareOrdinal(_source, i, "%}", 0, 2) == 0)
            return i + 2 + (_options.TrimBlocks && i + 2 < _source.Length && _source[i + 2] == '\n' ? 1 : 0);
        return -1;
    }

    private void LexComment()
    {
        var close = _source.IndexOf("#}", _pos, StringComparison.Ordinal);
        if (close < 0)
            throw Error("Missing end of comment tag");
        var end = close + 2;
        if (close - 1 >= _pos && _source[close - 1] == '-')
        {
            while (end < _source.Length && IsRegexSpace(_source[end]))
                end++;
        }
        else if (!(close - 1 >= _pos && _source[close - 1] == '+') && _options.TrimBlocks && end < _source.Length && _source[end] == '\n')
        {
            end++;
        }
        _line += CountNewlines(_source[_pos..end]);
        _pos = end;
        _lineStarting = _source[end - 1] == '\n';
    }

    private void LexTag(bool block)
    {
        var balance = new Stack<char>();
        while (_pos < _source.Length)
        {
            if (balance.Count == 0)
            {
                var end = block ? MatchBlockEnd(_pos) : MatchVariableEnd(_pos);
                if (end >= 0)
                {
                    _tokens.Add(new Token(block ? TokenKind.BlockEnd : TokenKind.VariableEnd, null, _line));
                    _line += CountNewlines(_source[_pos..end]);
                    _lineStarting = _source[end - 1] == '\n';
                    _pos = end;
                    return;
                }
            }
            var c = _source[_pos];
            if (IsRegexSpace(c))
            {
                _pos = SkipWhitespace(_pos);
                continue;
            }
            if (TryLexNumber())
                continue;
            if (char.IsLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < _source.Length && (char.IsLetterOrDigit(_source[_pos]) || _source[_pos] == '_'))
                    _pos++;
                _tokens.Add(new Token(TokenKind.Name, _source[start.._pos], _line));
                continue;
            }
            if (c is '\'' or '"')
            {
                LexString(c);
                continue;
            }
            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(_source, _pos, o, 0, o.Length) == 0);
            if (op is null)
                throw Error($"unexpected char {Runtime.Values.PyText.Repr(c.ToString())} at {_pos}");
            if (op is "{" or "(" or "[")
            {
                balance.Push(op switch { "{" => '}', "(" => ')', _ => ']' });
            }
            else if (op is "}" or ")" or "]")
            {
                if (balance.Count == 0)
                    throw Error($"unexpected '{op}'");
                var expected = balance.Pop();
                if (expected != op[0])
                    throw Error($"unexpected '{op}', expected '{expected}'");
            }
            _tokens.Add(new Token(TokenKind.Operator, op, _line));
            _pos += op.Length;
        }
    }

    /// <summary>Matches <c>-}}\s*|}}</c>.</summary>
    private int MatchVariableEnd(int i)
    {
        if (string.CompareOrdinal(_source, i, "-}}", 0, 3) == 0)
        {
            var j = i + 3;
            while (j < _source.Length && IsRegexSpace(_source[j]))
                j++;
            return j;
        }
        return string.CompareOrdinal(_source, i, "}}", 0, 2) == 0 ? i + 2 : -1;
    }

    private void LexString(char quote)
    {
        var i = _pos + 1;
        while (i < _source.Length && _source[i] != quote)
            i += _source[i] == '\\' ? 2 : 1;
        if (i >= _source.Length)
            throw Error($"unexpected char {Runtime.Values.PyText.Repr(quote.ToString())} at {_pos}");
        var body = _source[(_pos + 1)..i];
        var decoded = StringLiteralDecoder.Decode(body, out var error) ?? throw Error(error!);
        _tokens.Add(new Token(TokenKind.String, decoded, _line));
        _line += CountNewlines(body);
        _pos = i + 1;
    }

    /// <summary>jinja2's float_re then integer_re (with "_" separators, 0b/0o/0x prefixes).</summary>
    private bool TryLexNumber()
    {
        var c = _source[_pos];
        if (!char.IsAsciiDigit(c))
            return false;
        // Float: digits, then (.digits)? e[+-]?digits | .digits ; not directly after a '.'.
        if (_pos == 0 || _source[_pos - 1] != '.')
        {
            var i = ScanDigits(_pos);
            var hasFraction = false;
            var j = i;
            if (j < _source.Length && _source[j] == '.' && j + 1 < _source.Length && char.IsAsciiDigit(_source[j + 1]))
            {
                j = ScanDigits(j + 1);
                hasFraction = true;
            }
            var k = j;
            var hasExponent = false;
            if (k < _source.Length && _source[k] is 'e' or 'E')
            {
                var m = k + 1;
                if (m < _source.Length && _source[m] is '+' or '-')
                    m++;
                if (m < _source.Length && char.IsAsciiDigit(_source[m]))
                {
                    k = ScanDigits(m);
                    hasExponent = true;
                }
            }
            if (hasExponent || hasFraction)
            {
                var end = hasExponent ? k : j;
                var text = _source[_pos..end].Replace("_", "");
                _tokens.Add(new Token(TokenKind.Float, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), _line));
                _pos = end;
                return true;
            }
        }
        if (c == '0' && _pos + 1 < _source.Length && char.ToLowerInvariant(_source[_pos + 1]) is 'b' or 'o' or 'x')
        {
            var radix = char.ToLowerInvariant(_source[_pos + 1]) switch { 'b' => 2, 'o' => 8, _ => 16 };
            var i = _pos + 2;
            long value = 0;
            var any = false;
            while (i < _source.Length)
            {
                var d = _source[i];
                if (d == '_' && i + 1 < _source.Length && DigitValue(_source[i + 1]) is int next && next < radix)
                {
                    i++;
                    continue;
                }
                if (DigitValue(d) is not int dv || dv >= radix)
                    break;
                value = checked(value * radix + dv);
                any = true;
                i++;
            }
            if (any)
            {
                _tokens.Add(new Token(TokenKind.Integer, value, _line));
                _pos = i;
                return true;
            }
        }
        if (c == '0')
        {
            // integer_re "0(_?0)*": a leading zero only absorbs further zeros.
            var i = _pos + 1;
            while (i < _source.Length && (_source[i] == '0' || (_source[i] == '_' && i + 1 < _source.Length && _source[i + 1] == '0')))
                i++;
            _tokens.Add(new Token(TokenKind.Integer, 0L, _line));
            _pos = i;
            return true;
        }
        var endDigits = ScanDigits(_pos);
        var digits = _source[_pos..endDigits].Replace("_", "");
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var integer))
            throw Error($"integer literal {digits} does not fit in 64 bits");
        _tokens.Add(new Token(TokenKind.Integer, integer, _line));
        _pos = endDigits;
        return true;
    }

    private static int? DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => null,
    };

    /// <summary>Scans <c>(\d+_)*\d+</c> from a digit.</summary>
    private int ScanDigits(int i)
    {
        while (i < _source.Length)
        {
            if (char.IsAsciiDigit(_source[i]))
                i++;
            else if (_source[i] == '_' && i + 1 < _source.Length && char.IsAsciiDigit(_source[i + 1]))
                i++;
            else
                break;
        }
        return i;
    }
}
