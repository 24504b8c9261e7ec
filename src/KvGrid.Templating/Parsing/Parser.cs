using KvGrid.Templating.Lexing;

namespace KvGrid.Templating.Parsing;

/// <summary>
/// Recursive-descent port of <c>jinja2.parser.Parser</c>: the same statements, operator precedence
/// (or &lt; and &lt; not &lt; compare &lt; + - &lt; ~ &lt; * / // % &lt; ** &lt; unary &lt; postfix/filters/tests)
/// and tuple rules. Unknown filters and tests are rejected at parse time, as jinja2's compiler does.
/// </summary>
internal sealed class Parser
{
    private static readonly HashSet<string> CompareOperators = ["==", "!=", "<", "<=", ">", ">="];

    private readonly TokenStream _stream;
    private readonly Func<string, bool> _isFilter;
    private readonly Func<string, bool> _isTest;
    private readonly Stack<HashSet<string>> _macroNameUses = new();
    private readonly Stack<string[]> _endTokens = new();
    private readonly Stack<string> _tagStack = new();
    private int _loopDepth;

    public Parser(List<Token> tokens, string name, Func<string, bool> isFilter, Func<string, bool> isTest)
    {
        _stream = new TokenStream(tokens, name);
        _isFilter = isFilter;
        _isTest = isTest;
    }

    public IReadOnlyList<Stmt> ParseTemplate()
    {
        var body = Subparse(null);
        if (!_stream.AtEnd)
            throw _stream.Fail($"unexpected '{_stream.Current.Describe()}'");
        return body;
    }

    private List<Stmt> Subparse(string[]? endTokens)
    {
        var body = new List<Stmt>();
        if (endTokens is not null)
            _endTokens.Push(endTokens);
        try
        {
            while (!_stream.AtEnd)
            {
                var token = _stream.Current;
                switch (token.Kind)
                {
                    case TokenKind.Data:
                        body.Add(new DataStmt(token.Text, token.Line));
                        _stream.Next();
                        break;
                    case TokenKind.VariableBegin:
                        _stream.Next();
                        var expr = ParseTuple(withCondExpr: true);
                        body.Add(new OutputStmt(expr, expr.Line));
                        _stream.Expect(TokenKind.VariableEnd);
                        break;
                    case TokenKind.BlockBegin:
                        _stream.Next();
                        if (endTokens is not null && _stream.Current.Kind == TokenKind.Name && endTokens.Contains(_stream.Current.Text))
                            return body;
                        body.Add(ParseStatement());
                        _stream.Expect(TokenKind.BlockEnd);
                        break;
                    default:
                        throw _stream.Fail($"unexpected '{token.Describe()}'");
                }
            }
            return body;
        }
        finally
        {
            if (endTokens is not null)
                _endTokens.Pop();
        }
    }

    /// <summary>Parses a statement body up to one of <paramref name="endTokens"/>; the current token is then that end tag name.</summary>
    private List<Stmt> ParseStatements(string[] endTokens, bool dropNeedle = false)
    {
        _stream.SkipOperator(":");
        _stream.Expect(TokenKind.BlockEnd);
        var result = Subparse(endTokens);
        if (_stream.AtEnd)
        {
            var expected = string.Join(" or ", endTokens.Select(t => $"'{t}'"));
            throw _stream.Fail($"Unexpected end of template. Jinja was looking for the following tags: {expected}. The innermost block that needs to be closed is '{InnermostBlock(endTokens)}'.");
        }
        if (dropNeedle)
            _stream.Next();
        return result;
    }

    /// <summary>jinja2 names the tag being parsed (its <c>_tag_stack[-1]</c>).</summary>
    private string InnermostBlock(string[] endTokens) => _tagStack.Count > 0 ? _tagStack.Peek() : endTokens[^1].Replace("end", "");

    /// <summary>Absurdly deep nesting must be a syntax error, not a stack overflow.</summary>
    private void EnsureStack()
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw _stream.Fail("template nested too deeply");
    }

    private Stmt ParseStatement()
    {
        EnsureStack();
        var token = _stream.Current;
        if (token.Kind != TokenKind.Name)
            throw _stream.Fail("tag name expected");
        _tagStack.Push(token.Text);
        try
        {
            return ParseTaggedStatement(token);
        }
        finally
        {
            _tagStack.Pop();
        }
    }

    private Stmt ParseTaggedStatement(Token token)
    {
        switch (token.Text)
        {
            case "for": return ParseFor();
            case "if": return ParseIf();
            case "set": return ParseSet();
            case "macro": return ParseMacro();
            case "call": return ParseCallBlock();
            case "filter": return ParseFilterBlock();
            case "with": return ParseWith();
            case "print": return ParsePrint();
            case "generation":
                _stream.Next();
                return new GenerationStmt(ParseStatements(["endgeneration"], dropNeedle: true), token.Line);
            case "break":
            case "continue":
                _stream.Next();
                if (_loopDepth == 0)
                    throw _stream.Fail($"'{token.Text}' outside of a loop", token.Line);
                return token.Text == "break" ? new BreakStmt(token.Line) : new ContinueStmt(token.Line);
            case "block":
            case "extends":
            case "include":
            case "import":
            case "from":
            case "autoescape":
                throw _stream.Fail($"tag '{token.Text}' is not supported in chat templates", token.Line);
        }
        if (_endTokens.Count > 0)
        {
            var expected = string.Join(" or ", _endTokens.Peek().Select(t => $"'{t}'"));
            throw _stream.Fail($"Encountered unknown tag '{token.Text}'. Jinja was looking for the following tags: {expected}. The innermost block that needs to be closed is '{_tagStack.Skip(1).FirstOrDefault()}'.", token.Line);
        }
        throw _stream.Fail($"Encountered unknown tag '{token.Text}'.", token.Line);
    }

    private Stmt ParseFor()
    {
        var line = _stream.ExpectName("for").Line;
        var target = ParseAssignTarget(extraEndRules: ["in"]);
        _stream.ExpectName("in");
        var iterable = ParseTuple(withCondExpr: false, extraEndRules: ["recursive"]);
        Expr? filter = null;
        if (_stream.SkipName("if"))
            filter = ParseExpression();
        var recursive = _stream.SkipName("recursive");
        _loopDepth++;
        List<Stmt> body;
        try
        {
            body = ParseStatements(["endfor", "else"]);
        }
        finally
        {
            _loopDepth--;
        }
        List<Stmt> elseBody = [];
        if (_stream.Next().Text != "endfor")
            elseBody = ParseStatements(["endfor"], dropNeedle: true);
        return new ForStmt(target, iterable, filter, recursive, body, elseBody, line);
    }

    private Stmt ParseIf()
    {
        var line = _stream.ExpectName("if").Line;
        var branches = new List<(Expr, IReadOnlyList<Stmt>)>();
        List<Stmt> elseBody = [];
        while (true)
        {
            var test = ParseTuple(withCondExpr: false);
            var body = ParseStatements(["elif", "else", "endif"]);
            branches.Add((test, body));
            var token = _stream.Next();
            if (token.IsName("elif"))
                continue;
            if (token.IsName("else"))
                elseBody = ParseStatements(["endif"], dropNeedle: true);
            break;
        }
        return new IfStmt(branches, elseBody, line);
    }

    private Stmt ParseSet()
    {
        var line = _stream.Next().Line;
        var target = ParseAssignTarget(withNamespace: true);
        if (_stream.SkipOperator("="))
            return new SetStmt(target, ParseTuple(withCondExpr: true), line);
        var filter = ParseFilter(null, startInline: false) as FilterExpr;
        var body = ParseStatements(["endset"], dropNeedle: true);
        return new SetBlockStmt(target, filter, body, line);
    }

    private (List<MacroParameter> Parameters, HashSet<string> Names) ParseSignature()
    {
        var parameters = new List<MacroParameter>();
        _stream.ExpectOperator("(");
        while (!_stream.Current.IsOperator(")"))
        {
            if (parameters.Count > 0)
                _stream.ExpectOperator(",");
            var name = _stream.ExpectName().Text;
            Expr? defaultValue = null;
            if (_stream.SkipOperator("="))
                defaultValue = ParseExpression();
            else if (parameters.Any(p => p.Default is not null))
                throw _stream.Fail("non-default argument follows default argument");
            parameters.Add(new MacroParameter(name, defaultValue));
        }
        _stream.ExpectOperator(")");
        return (parameters, parameters.Select(p => p.Name).ToHashSet());
    }

    private MacroStmt ParseMacroBody(string name, List<MacroParameter> parameters, string endTag, int line)
    {
        var uses = new HashSet<string>();
        _macroNameUses.Push(uses);
        var savedLoopDepth = _loopDepth;
        _loopDepth = 0;
        try
        {
            var body = ParseStatements([endTag], dropNeedle: true);
            return new MacroStmt(name, parameters, body, uses.Contains("varargs"), uses.Contains("kwargs"), uses.Contains("caller"), line);
        }
        finally
        {
            _loopDepth = savedLoopDepth;
            _macroNameUses.Pop();
        }
    }

    private Stmt ParseMacro()
    {
        var line = _stream.Next().Line;
        var name = _stream.ExpectName().Text;
        var (parameters, _) = ParseSignature();
        return ParseMacroBody(name, parameters, "endmacro", line);
    }

    private Stmt ParseCallBlock()
    {
        var line = _stream.Next().Line;
        var parameters = _stream.Current.IsOperator("(") ? ParseSignature().Parameters : [];
        var call = ParseExpression() as CallExpr ?? throw _stream.Fail("expected call", line);
        var caller = ParseMacroBody("caller", parameters, "endcall", line);
        return new CallBlockStmt(call, caller, line);
    }

    private Stmt ParseFilterBlock()
    {
        var line = _stream.Next().Line;
        var filter = (FilterExpr)ParseFilter(null, startInline: true)!;
        var body = ParseStatements(["endfilter"], dropNeedle: true);
        return new FilterBlockStmt(filter, body, line);
    }

    private Stmt ParseWith()
    {
        var line = _stream.Next().Line;
        var assignments = new List<(Expr, Expr)>();
        while (_stream.Current.Kind != TokenKind.BlockEnd)
        {
            if (assignments.Count > 0)
                _stream.ExpectOperator(",");
            var target = ParseAssignTarget();
            _stream.ExpectOperator("=");
            assignments.Add((target, ParseExpression()));
        }
        var body = ParseStatements(["endwith"], dropNeedle: true);
        return new WithStmt(assignments, body, line);
    }

    private Stmt ParsePrint()
    {
        var line = _stream.Next().Line;
        var values = new List<Expr>();
        while (_stream.Current.Kind != TokenKind.BlockEnd)
        {
            if (values.Count > 0)
                _stream.ExpectOperator(",");
            values.Add(ParseExpression());
        }
        return new PrintStmt(values, line);
    }

    private Expr ParseAssignTarget(bool withTuple = true, string[]? extraEndRules = null, bool withNamespace = false)
    {
        Expr target;
        if (withNamespace && _stream.Current.Kind == TokenKind.Name && _stream.Look().IsOperator("."))
        {
            var token = _stream.ExpectName();
            _stream.Next();
            var attribute = _stream.ExpectName();
            return new NamespaceRefExpr(token.Text, attribute.Text, token.Line);
        }
        target = withTuple ? ParseTuple(simplified: true, extraEndRules: extraEndRules) : ParsePrimary();
        if (!CanAssign(target))
            throw _stream.Fail($"can't assign to {AstKind(target)!}", target.Line);
        return target;
    }

    private static bool CanAssign(Expr e) => e switch
    {
        NameExpr n => n.Name is not ("true" or "false" or "none" or "True" or "False" or "None"),
        TupleExpr t => t.Items.All(CanAssign),
        _ => false,
    };

    private static string AstKind(Expr e) => e switch
    {
        ConstExpr => "'const'",
        TupleExpr => "'tuple'",
        ListExpr => "'list'",
        DictExpr => "'dict'",
        _ => "'" + e.GetType().Name.Replace("Expr", "").ToLowerInvariant() + "'",
    };

    private Expr ParseExpression(bool withCondExpr = true) => withCondExpr ? ParseCondExpr() : ParseOr();

    private Expr ParseCondExpr()
    {
        var line = _stream.Current.Line;
        var expr1 = ParseOr();
        while (_stream.SkipName("if"))
        {
            var expr2 = ParseOr();
            Expr? expr3 = null;
            if (_stream.SkipName("else"))
                expr3 = ParseCondExpr();
            expr1 = new CondExpr(expr2, expr1, expr3, line);
            line = _stream.Current.Line;
        }
        return expr1;
    }

    private Expr ParseOr()
    {
        var line = _stream.Current.Line;
        var left = ParseAnd();
        while (_stream.SkipName("or"))
            left = new OrExpr(left, ParseAnd(), line);
        return left;
    }

    private Expr ParseAnd()
    {
        var line = _stream.Current.Line;
        var left = ParseNot();
        while (_stream.SkipName("and"))
            left = new AndExpr(left, ParseNot(), line);
        return left;
    }

    private Expr ParseNot()
    {
        if (_stream.Current.IsName("not"))
        {
            var line = _stream.Next().Line;
            return new UnaryExpr(UnaryOp.Not, ParseNot(), line);
        }
        return ParseCompare();
    }

    private Expr ParseCompare()
    {
        var line = _stream.Current.Line;
        var expr = ParseMath1();
        var ops = new List<(string, Expr)>();
        while (true)
        {
            var token = _stream.Current;
            if (token.Kind == TokenKind.Operator && CompareOperators.Contains(token.Text))
            {
                _stream.Next();
                ops.Add((token.Text, ParseMath1()));
            }
            else if (_stream.SkipName("in"))
            {
                ops.Add(("in", ParseMath1()));
            }
            else if (token.IsName("not") && _stream.Look().IsName("in"))
            {
                _stream.Next();
                _stream.Next();
                ops.Add(("notin", ParseMath1()));
            }
            else
            {
                break;
            }
        }
        return ops.Count == 0 ? expr : new CompareExpr(expr, ops, line);
    }

    private Expr ParseMath1()
    {
        var line = _stream.Current.Line;
        var left = ParseConcat();
        while (_stream.Current.IsOperator("+") || _stream.Current.IsOperator("-"))
        {
            var op = _stream.Next().Text;
            left = new BinaryExpr(op, left, ParseConcat(), line);
        }
        return left;
    }

    private Expr ParseConcat()
    {
        var line = _stream.Current.Line;
        var parts = new List<Expr> { ParseMath2() };
        while (_stream.SkipOperator("~"))
            parts.Add(ParseMath2());
        return parts.Count == 1 ? parts[0] : new ConcatExpr(parts, line);
    }

    private Expr ParseMath2()
    {
        var line = _stream.Current.Line;
        var left = ParsePow();
        while (_stream.Current.Kind == TokenKind.Operator && _stream.Current.Text is "*" or "/" or "//" or "%")
        {
            var op = _stream.Next().Text;
            left = new BinaryExpr(op, left, ParsePow(), line);
        }
        return left;
    }

    private Expr ParsePow()
    {
        var line = _stream.Current.Line;
        var left = ParseUnary();
        while (_stream.SkipOperator("**"))
            left = new BinaryExpr("**", left, ParseUnary(), line);
        return left;
    }

    private Expr ParseUnary(bool withFilter = true)
    {
        EnsureStack();
        var token = _stream.Current;
        Expr node;
        if (token.IsOperator("-"))
        {
            _stream.Next();
            node = new UnaryExpr(UnaryOp.Negate, ParseUnary(false), token.Line);
        }
        else if (token.IsOperator("+"))
        {
            _stream.Next();
            node = new UnaryExpr(UnaryOp.Plus, ParseUnary(false), token.Line);
        }
        else
        {
            node = ParsePrimary();
        }
        node = ParsePostfix(node);
        if (withFilter)
            node = ParseFilterExpr(node);
        return node;
    }

    private Expr ParsePrimary()
    {
        var token = _stream.Current;
        switch (token.Kind)
        {
            case TokenKind.Name:
                _stream.Next();
                switch (token.Text)
                {
                    case "true" or "True": return new ConstExpr(true, token.Line);
                    case "false" or "False": return new ConstExpr(false, token.Line);
                    case "none" or "None": return new ConstExpr(null, token.Line);
                }
                foreach (var uses in _macroNameUses)
                    uses.Add(token.Text);
                return new NameExpr(token.Text, token.Line);
            case TokenKind.String:
                _stream.Next();
                var text = token.Text;
                while (_stream.Current.Kind == TokenKind.String)
                    text += _stream.Next().Text;
                return new ConstExpr(text, token.Line);
            case TokenKind.Integer:
            case TokenKind.Float:
                _stream.Next();
                return new ConstExpr(token.Value, token.Line);
            case TokenKind.Operator when token.Text == "(":
                _stream.Next();
                var inner = ParseTuple(explicitParentheses: true);
                _stream.ExpectOperator(")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                return ParseList();
            case TokenKind.Operator when token.Text == "{":
                return ParseDict();
            case TokenKind.Eof:
                throw _stream.Fail("unexpected end of template");
            default:
                throw _stream.Fail($"unexpected '{token.Describe()}'");
        }
    }

    private bool IsTupleEnd(string[]? extraEndRules)
    {
        var current = _stream.Current;
        if (current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd || current.IsOperator(")"))
            return true;
        return extraEndRules is not null && current.Kind == TokenKind.Name && extraEndRules.Contains(current.Text);
    }

    private Expr ParseTuple(bool simplified = false, bool withCondExpr = true, string[]? extraEndRules = null, bool explicitParentheses = false)
    {
        var line = _stream.Current.Line;
        var items = new List<Expr>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0)
                _stream.ExpectOperator(",");
            if (IsTupleEnd(extraEndRules))
                break;
            items.Add(simplified ? ParsePrimary() : ParseExpression(withCondExpr));
            if (_stream.Current.IsOperator(","))
                isTuple = true;
            else
                break;
            line = _stream.Current.Line;
        }
        if (!isTuple)
        {
            if (items.Count > 0)
                return items[0];
            if (!explicitParentheses)
                throw _stream.Fail($"Expected an expression, got '{_stream.Current.Describe()}'");
        }
        return new TupleExpr(items, line);
    }

    private Expr ParseList()
    {
        var token = _stream.ExpectOperator("[");
        var items = new List<Expr>();
        while (!_stream.Current.IsOperator("]"))
        {
            if (items.Count > 0)
                _stream.ExpectOperator(",");
            if (_stream.Current.IsOperator("]"))
                break;
            items.Add(ParseExpression());
        }
        _stream.ExpectOperator("]");
        return new ListExpr(items, token.Line);
    }

    private Expr ParseDict()
    {
        var token = _stream.ExpectOperator("{");
        var pairs = new List<(Expr, Expr)>();
        while (!_stream.Current.IsOperator("}"))
        {
            if (pairs.Count > 0)
                _stream.ExpectOperator(",");
            if (_stream.Current.IsOperator("}"))
                break;
            var key = ParseExpression();
            _stream.ExpectOperator(":");
            pairs.Add((key, ParseExpression()));
        }
        _stream.ExpectOperator("}");
        return new DictExpr(pairs, token.Line);
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            var token = _stream.Current;
            if (token.IsOperator(".") || token.IsOperator("["))
                node = ParseSubscript(node);
            else if (token.IsOperator("("))
                node = new CallExpr(node, ParseCallArgs(), token.Line);
            else
                return node;
        }
    }

    private Expr ParseFilterExpr(Expr node)
    {
        while (true)
        {
            var token = _stream.Current;
            if (token.IsOperator("|"))
                node = ParseFilter(node, startInline: false)!;
            else if (token.IsName("is"))
                node = ParseTest(node);
            else if (token.IsOperator("("))
                node = new CallExpr(node, ParseCallArgs(), token.Line);
            else
                return node;
        }
    }

    private Expr ParseSubscript(Expr node)
    {
        var token = _stream.Next();
        if (token.IsOperator("."))
        {
            var attribute = _stream.Next();
            if (attribute.Kind == TokenKind.Name)
                return new GetAttrExpr(node, attribute.Text, token.Line);
            if (attribute.Kind != TokenKind.Integer)
                throw _stream.Fail("expected name or number", attribute.Line);
            return new GetItemExpr(node, new ConstExpr(attribute.Value, attribute.Line), token.Line);
        }
        var args = new List<Expr>();
        while (!_stream.Current.IsOperator("]"))
        {
            if (args.Count > 0)
                _stream.ExpectOperator(",");
            args.Add(ParseSubscribed());
        }
        _stream.ExpectOperator("]");
        var key = args.Count == 1 ? args[0] : new TupleExpr(args, token.Line);
        return new GetItemExpr(node, key, token.Line);
    }

    private Expr ParseSubscribed()
    {
        var line = _stream.Current.Line;
        Expr? start = null;
        if (_stream.Current.IsOperator(":"))
        {
            _stream.Next();
        }
        else
        {
            var node = ParseExpression();
            if (!_stream.Current.IsOperator(":"))
                return node;
            _stream.Next();
            start = node;
        }
        Expr? stop = null;
        Expr? step = null;
        if (!_stream.Current.IsOperator(":") && !_stream.Current.IsOperator("]") && !_stream.Current.IsOperator(","))
            stop = ParseExpression();
        if (_stream.Current.IsOperator(":"))
        {
            _stream.Next();
            if (!_stream.Current.IsOperator("]") && !_stream.Current.IsOperator(","))
                step = ParseExpression();
        }
        return new SliceExpr(start, stop, step, line);
    }

    private CallArguments ParseCallArgs()
    {
        var token = _stream.ExpectOperator("(");
        var positional = new List<Expr>();
        var named = new List<(string, Expr)>();
        Expr? dynamicPositional = null;
        Expr? dynamicNamed = null;
        var requireComma = false;
        void Ensure(bool ok)
        {
            if (!ok)
                throw _stream.Fail("invalid syntax for function call expression", token.Line);
        }
        while (!_stream.Current.IsOperator(")"))
        {
            if (requireComma)
            {
                _stream.ExpectOperator(",");
                if (_stream.Current.IsOperator(")"))
                    break;
            }
            if (_stream.Current.IsOperator("*"))
            {
                Ensure(dynamicPositional is null && dynamicNamed is null);
                _stream.Next();
                dynamicPositional = ParseExpression();
            }
            else if (_stream.Current.IsOperator("**"))
            {
                Ensure(dynamicNamed is null);
                _stream.Next();
                dynamicNamed = ParseExpression();
            }
            else if (_stream.Current.Kind == TokenKind.Name && _stream.Look().IsOperator("="))
            {
                Ensure(dynamicNamed is null);
                var key = _stream.Next().Text;
                _stream.Next();
                named.Add((key, ParseExpression()));
            }
            else
            {
                Ensure(dynamicPositional is null && dynamicNamed is null && named.Count == 0);
                positional.Add(ParseExpression());
            }
            requireComma = true;
        }
        _stream.ExpectOperator(")");
        return new CallArguments(positional, named, dynamicPositional, dynamicNamed);
    }

    private Expr? ParseFilter(Expr? node, bool startInline)
    {
        while (_stream.Current.IsOperator("|") || startInline)
        {
            if (!startInline)
                _stream.Next();
            var token = _stream.ExpectName();
            var name = token.Text;
            while (_stream.Current.IsOperator("."))
            {
                _stream.Next();
                name += "." + _stream.ExpectName().Text;
            }
            if (!_isFilter(name))
                throw _stream.Fail($"No filter named '{name}'.", token.Line);
            var args = _stream.Current.IsOperator("(") ? ParseCallArgs() : CallArguments.None;
            node = new FilterExpr(node, name, args, token.Line);
            startInline = false;
        }
        return node;
    }

    private Expr ParseTest(Expr node)
    {
        var token = _stream.Next();
        var negated = _stream.SkipName("not");
        var name = _stream.ExpectName().Text;
        while (_stream.Current.IsOperator("."))
        {
            _stream.Next();
            name += "." + _stream.ExpectName().Text;
        }
        if (!_isTest(name))
            throw _stream.Fail($"No test named '{name}'.", token.Line);
        CallArguments args;
        var current = _stream.Current;
        if (current.IsOperator("("))
        {
            args = ParseCallArgs();
        }
        else if ((current.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float
                  || current.IsOperator("(") || current.IsOperator("[") || current.IsOperator("{"))
                 && !(current.IsName("else") || current.IsName("or") || current.IsName("and")))
        {
            if (current.IsName("is"))
                throw _stream.Fail("You cannot chain multiple tests with is");
            var argument = ParsePostfix(ParsePrimary());
            args = new CallArguments([argument], [], null, null);
        }
        else
        {
            args = CallArguments.None;
        }
        Expr result = new TestExpr(node, name, args, token.Line);
        return negated ? new UnaryExpr(UnaryOp.Not, result, token.Line) : result;
    }
}
