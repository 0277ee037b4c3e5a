using System.Text;

namespace SiemAi.Safety.Rules;

/// <summary>
/// The Jinja a generated playbook may contain, parsed rather than pattern-matched. The grammar is deliberately
/// small: declared variable names, attribute and index access, literals, comparisons, <c>and</c>/<c>or</c>/<c>not</c>,
/// <c>+</c>/<c>-</c>/<c>~</c>, the inline <c>x if c else y</c>, an allowlist of pure filters and tests, and the
/// statements <c>if/elif/else/endif</c> and <c>for/endfor</c>. Everything else — any call, lookup/query in any
/// spelling, unknown filters or tests, names nobody declared, underscore (dunder) attributes, other statements —
/// is refused with the reason. Anything the parser cannot read is refused too: default deny.
/// </summary>
internal static class Jinja
{
    /// <summary>Pure filters a remediation needs, each producing data from data; none reaches the controller or the network.</summary>
    public static readonly IReadOnlySet<string> Filters = new SortedSet<string>(StringComparer.Ordinal)
    {
        "default", "d", "length", "count", "lower", "upper", "map", "list", "join", "int", "string", "bool", "trim",
        "first", "last", "unique", "sort", "regex_escape", "quote", "basename", "dirname", "replace", "selectattr",
        "rejectattr", "dict2items", "items2dict", "min", "max", "sum", "abs", "float", "title", "capitalize",
    };

    /// <summary>Tests (<c>x is defined</c>); none reads the controller's file system (<c>file</c>, <c>exists</c> are refused).</summary>
    public static readonly IReadOnlySet<string> Tests = new SortedSet<string>(StringComparer.Ordinal)
    {
        "defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "mapping", "sequence", "iterable",
        "true", "false", "match", "search", "regex", "equalto", "eq", "ne", "in", "contains", "lt", "le", "gt", "ge",
        "truthy", "falsy", "success", "succeeded", "failed", "failure", "changed", "skipped", "lower", "upper",
    };

    /// <summary>Names Ansible itself provides that a remediation may read: gathered facts and check-mode state, never connection variables.</summary>
    public static readonly IReadOnlySet<string> MagicVariables = new SortedSet<string>(StringComparer.Ordinal)
    {
        "ansible_facts", "ansible_check_mode", "ansible_diff_mode", "inventory_hostname", "inventory_hostname_short", "omit",
        "ansible_hostname", "ansible_fqdn", "ansible_nodename", "ansible_distribution", "ansible_distribution_version",
        "ansible_distribution_major_version", "ansible_os_family", "ansible_system", "ansible_kernel", "ansible_architecture",
        "ansible_default_ipv4", "ansible_default_ipv6", "ansible_all_ipv4_addresses", "ansible_all_ipv6_addresses",
        "ansible_interfaces", "ansible_service_mgr", "ansible_pkg_mgr", "ansible_date_time", "ansible_machine_id",
    };

    /// <summary>Filters that take another filter's name as a string (<c>map('lower')</c>): that name must be allowed too.</summary>
    private static readonly HashSet<string> FilterTakingFilter = ["map"];

    private static readonly HashSet<string> Keywords = ["and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None"];

    /// <summary>Null when the text (a value Ansible templates) stays inside the grammar; otherwise why not.</summary>
    public static string? CheckTemplate(string text, IReadOnlySet<string> declared)
    {
        try
        {
            new TemplateReader(text, declared).Read();
            return null;
        }
        catch (JinjaRefusal refusal)
        {
            return refusal.Message;
        }
    }

    /// <summary>Null when a bare expression (<c>when</c>, <c>until</c>, <c>assert.that</c>, <c>debug.var</c>) stays inside the grammar.</summary>
    public static string? CheckExpression(string expression, IReadOnlySet<string> declared)
    {
        if (IsTemplated(expression))
        {
            // Ansible templates a conditional that holds {{ }} first, then evaluates the result: both must be clean.
            return CheckTemplate(expression, declared);
        }
        try
        {
            var parser = new ExpressionParser(Tokenize(expression, 0, out var end, stopAt: null), declared);
            if (end != expression.Length)
            {
                throw new JinjaRefusal("the expression does not end where it should");
            }
            parser.ParseWhole();
            return null;
        }
        catch (JinjaRefusal refusal)
        {
            return refusal.Message;
        }
    }

    /// <summary>
    /// Names a playbook reads only behind a guard — <c>x is defined</c>, <c>x is undefined</c>, <c>x | default(...)</c> — as
    /// templates do with optional parameters the alert may not fill. They count as declared (absent, they are undefined).
    /// </summary>
    public static IEnumerable<string> GuardedNames(string text, bool bare)
    {
        List<Token> tokens;
        try
        {
            tokens = bare && !IsTemplated(text) ? Tokenize(text, 0, out _, stopAt: null) : TemplateTokens(text);
        }
        catch (JinjaRefusal)
        {
            yield break;
        }
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind != T.Name || Keywords.Contains(t.Text) || i > 0 && tokens[i - 1] is { Kind: T.Op, Text: "." })
            {
                continue;
            }
            var next = tokens[i + 1];
            var after = tokens[i + 2];
            var guarded = next is { Kind: T.Name, Text: "is" }
                && (after.Text is "defined" or "undefined"
                    || after.Text == "not" && i + 3 < tokens.Count && tokens[i + 3].Text is "defined" or "undefined")
                || next is { Kind: T.Op, Text: "|" } && after.Text is "default" or "d";
            if (guarded)
            {
                yield return t.Text;
            }
        }
    }

    private static List<Token> TemplateTokens(string text)
    {
        var all = new List<Token>();
        var i = 0;
        while (true)
        {
            var a = text.IndexOf("{{", i, StringComparison.Ordinal);
            var b = text.IndexOf("{%", i, StringComparison.Ordinal);
            var next = a < 0 ? b : b < 0 ? a : Math.Min(a, b);
            if (next < 0)
            {
                return all;
            }
            var start = next + 2;
            if (start < text.Length && text[start] is '-' or '+')
            {
                start++;
            }
            all.AddRange(Tokenize(text, start, out i, stopAt: text[next + 1] == '{' ? "}}" : "%}"));
            all.Add(new Token(T.End, ""));
        }
    }

    /// <summary>Ansible treats a string as a template when it holds any of Jinja's start markers.</summary>
    public static bool IsTemplated(string text) =>
        text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal) || text.Contains("{#", StringComparison.Ordinal);

    private sealed class JinjaRefusal(string message) : Exception(message);

    private enum T
    {
        Name,
        String,
        Number,
        Op,
        End,
    }

    private readonly record struct Token(T Kind, string Text);

    /// <summary>Splits a template into text, <c>{{ }}</c>, <c>{% %}</c> and <c>{# #}</c>, checking every expression and statement.</summary>
    private sealed class TemplateReader(string text, IReadOnlySet<string> declared)
    {
        private readonly HashSet<string> _local = new(StringComparer.Ordinal);
        private readonly Stack<string> _open = new();

        public void Read()
        {
            var i = 0;
            while (i < text.Length)
            {
                var next = text.IndexOf('{', i);
                if (next < 0 || next + 1 >= text.Length)
                {
                    break;
                }
                var marker = text[next + 1];
                if (marker == '#')
                {
                    var close = text.IndexOf("#}", next + 2, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        throw new JinjaRefusal("an unclosed {# comment");
                    }
                    i = close + 2;
                    continue;
                }
                if (marker is not ('{' or '%'))
                {
                    i = next + 1;
                    continue;
                }
                var start = next + 2;
                if (start < text.Length && text[start] is '-' or '+')
                {
                    start++;
                }
                var tokens = Tokenize(text, start, out var end, stopAt: marker == '{' ? "}}" : "%}");
                i = end;
                if (marker == '{')
                {
                    var parser = new ExpressionParser(tokens, Scope());
                    parser.ParseWhole();
                }
                else
                {
                    Statement(tokens);
                }
            }
            if (_open.Count > 0)
            {
                throw new JinjaRefusal($"'{{% {_open.Peek()} %}}' is never closed");
            }
        }

        private IReadOnlySet<string> Scope()
        {
            if (_local.Count == 0)
            {
                return declared;
            }
            var all = new HashSet<string>(declared, StringComparer.Ordinal);
            all.UnionWith(_local);
            return all;
        }

        private void Statement(List<Token> tokens)
        {
            if (tokens.Count == 0 || tokens[0].Kind != T.Name)
            {
                throw new JinjaRefusal("an empty or unreadable {% %} statement");
            }
            var keyword = tokens[0].Text;
            var rest = tokens.GetRange(1, tokens.Count - 1);
            switch (keyword)
            {
                case "if":
                    _open.Push("if");
                    new ExpressionParser(rest, Scope()).ParseWhole();
                    break;
                case "elif":
                    Expect("if", keyword);
                    new ExpressionParser(rest, Scope()).ParseWhole();
                    break;
                case "else":
                    if (_open.Count == 0 || rest.Count > 0)
                    {
                        throw new JinjaRefusal("'{% else %}' outside an if or for");
                    }
                    break;
                case "endif":
                    Expect("if", keyword);
                    _open.Pop();
                    break;
                case "for":
                    if (rest.Count < 3 || rest[0].Kind != T.Name || rest[1] is not { Kind: T.Name, Text: "in" } || Keywords.Contains(rest[0].Text))
                    {
                        throw new JinjaRefusal("'{% for %}' must read 'for name in expression'");
                    }
                    CheckDeclarable(rest[0].Text);
                    _local.Add(rest[0].Text);
                    _open.Push("for");
                    new ExpressionParser(rest.GetRange(2, rest.Count - 2), Scope()).ParseWhole();
                    break;
                case "endfor":
                    Expect("for", keyword);
                    _open.Pop();
                    break;
                default:
                    throw new JinjaRefusal($"the statement '{{% {keyword} %}}' is not allowed (only if/elif/else/endif and for/endfor)");
            }
            if (keyword is "endif" or "endfor" && rest.Count > 0)
            {
                throw new JinjaRefusal($"'{{% {keyword} %}}' takes nothing after it");
            }
        }

        private void Expect(string open, string keyword)
        {
            if (_open.Count == 0 || _open.Peek() != open)
            {
                throw new JinjaRefusal($"'{{% {keyword} %}}' without a matching '{{% {open} %}}'");
            }
        }
    }

    private static void CheckDeclarable(string name)
    {
        if (name.StartsWith('_') || name.StartsWith("ansible_", StringComparison.Ordinal))
        {
            throw new JinjaRefusal($"'{name}' may not be bound by a template");
        }
    }

    /// <summary>
    /// Jinja's lexer, reduced: names, string and number literals, operators. With <paramref name="stopAt"/>, stops at that
    /// closing marker outside brackets (as Jinja does) and returns its end; a closer never found is an error.
    /// </summary>
    private static List<Token> Tokenize(string text, int start, out int end, string? stopAt)
    {
        var tokens = new List<Token>();
        var depth = 0;
        var i = start;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (stopAt is not null && depth == 0)
            {
                if (string.CompareOrdinal(text, i, stopAt, 0, 2) == 0)
                {
                    end = i + 2;
                    return tokens;
                }
                if (i < text.Length && text[i] == '-' && string.CompareOrdinal(text, i + 1, stopAt, 0, 2) == 0)
                {
                    end = i + 3;
                    return tokens;
                }
            }
            if (i >= text.Length)
            {
                if (stopAt is not null)
                {
                    throw new JinjaRefusal($"an unclosed Jinja block (no '{stopAt}')");
                }
                end = i;
                return tokens;
            }
            var c = text[i];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var s = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
                tokens.Add(new Token(T.Name, text[s..i]));
            }
            else if (char.IsAsciiDigit(c))
            {
                var s = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
                {
                    i++;
                }
                if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
                {
                    throw new JinjaRefusal($"the number '{text[s..(i + 1)]}' is not a plain decimal");
                }
                tokens.Add(new Token(T.Number, text[s..i]));
            }
            else if (c is '\'' or '"')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new JinjaRefusal("an unterminated string literal");
                    }
                    if (text[i] == c)
                    {
                        i++;
                        break;
                    }
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        sb.Append(text[i + 1] switch { 'n' => '\n', 't' => '\t', var x => x });
                        i += 2;
                        continue;
                    }
                    sb.Append(text[i++]);
                }
                tokens.Add(new Token(T.String, sb.ToString()));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "==" or "!=" or "<=" or ">=" or "**" or "//")
                {
                    tokens.Add(new Token(T.Op, two));
                    i += 2;
                    continue;
                }
                if ("()[]{}.,:|~+-<>*/%=".Contains(c, StringComparison.Ordinal))
                {
                    depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
                    if (depth < 0)
                    {
                        throw new JinjaRefusal($"an unbalanced '{c}'");
                    }
                    tokens.Add(new Token(T.Op, c.ToString()));
                    i++;
                    continue;
                }
                throw new JinjaRefusal($"the character '{c}' is outside the allowed Jinja grammar");
            }
        }
    }

    /// <summary>Recursive descent over Jinja's expression precedence (or, and, not, compare, +/-, ~, unary, postfix, filter/test).</summary>
    private sealed class ExpressionParser(List<Token> tokens, IReadOnlySet<string> declared)
    {
        private int _pos;

        private Token Peek => _pos < tokens.Count ? tokens[_pos] : new Token(T.End, "");

        public void ParseWhole()
        {
            if (tokens.Count == 0)
            {
                throw new JinjaRefusal("an empty expression");
            }
            Conditional();
            if (Peek.Kind != T.End)
            {
                throw new JinjaRefusal($"unexpected '{Peek.Text}'");
            }
        }

        private bool Accept(T kind, string text)
        {
            if (Peek.Kind == kind && Peek.Text == text)
            {
                _pos++;
                return true;
            }
            return false;
        }

        private void Expect(string op)
        {
            if (!Accept(T.Op, op))
            {
                throw new JinjaRefusal($"expected '{op}' but found '{(Peek.Kind == T.End ? "the end" : Peek.Text)}'");
            }
        }

        private void Conditional()
        {
            Or();
            if (Accept(T.Name, "if"))
            {
                Or();
                if (Accept(T.Name, "else"))
                {
                    Conditional();
                }
            }
        }

        private void Or()
        {
            And();
            while (Accept(T.Name, "or"))
            {
                And();
            }
        }

        private void And()
        {
            Not();
            while (Accept(T.Name, "and"))
            {
                Not();
            }
        }

        private void Not()
        {
            if (Accept(T.Name, "not"))
            {
                Not();
                return;
            }
            Compare();
        }

        private void Compare()
        {
            Additive();
            while (true)
            {
                if (Peek.Kind == T.Op && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
                {
                    _pos++;
                }
                else if (Accept(T.Name, "in"))
                {
                }
                else if (Peek is { Kind: T.Name, Text: "not" } && _pos + 1 < tokens.Count && tokens[_pos + 1] is { Kind: T.Name, Text: "in" })
                {
                    _pos += 2;
                }
                else
                {
                    return;
                }
                Additive();
            }
        }

        private void Additive()
        {
            Concat();
            while (Peek.Kind == T.Op && Peek.Text is "+" or "-")
            {
                _pos++;
                Concat();
            }
        }

        private void Concat()
        {
            Unary();
            while (Accept(T.Op, "~"))
            {
                Unary();
            }
            if (Peek.Kind == T.Op && Peek.Text is "*" or "/" or "//" or "%" or "**")
            {
                throw new JinjaRefusal($"the operator '{Peek.Text}' is not allowed (it can repeat or format values without bound)");
            }
        }

        private void Unary()
        {
            if (Peek.Kind == T.Op && Peek.Text is "-" or "+")
            {
                _pos++;
                Unary();
                return;
            }
            Primary();
            Postfix();
            FilterAndTest();
        }

        private void Primary()
        {
            var token = Peek;
            switch (token.Kind)
            {
                case T.String:
                case T.Number:
                    _pos++;
                    return;
                case T.Name:
                    _pos++;
                    if (token.Text is "true" or "false" or "none" or "True" or "False" or "None")
                    {
                        return;
                    }
                    if (Keywords.Contains(token.Text))
                    {
                        throw new JinjaRefusal($"unexpected '{token.Text}'");
                    }
                    CheckName(token.Text);
                    return;
                case T.Op when token.Text == "(":
                    _pos++;
                    Conditional();
                    if (Peek.Kind == T.Op && Peek.Text == ",")
                    {
                        throw new JinjaRefusal("tuples are not allowed");
                    }
                    Expect(")");
                    return;
                case T.Op when token.Text == "[":
                    _pos++;
                    if (!Accept(T.Op, "]"))
                    {
                        do
                        {
                            Conditional();
                        }
                        while (Accept(T.Op, ",") && !(Peek.Kind == T.Op && Peek.Text == "]"));
                        Expect("]");
                    }
                    return;
                case T.Op when token.Text == "{":
                    _pos++;
                    if (!Accept(T.Op, "}"))
                    {
                        do
                        {
                            Conditional();
                            Expect(":");
                            Conditional();
                        }
                        while (Accept(T.Op, ",") && !(Peek.Kind == T.Op && Peek.Text == "}"));
                        Expect("}");
                    }
                    return;
                case T.End:
                    throw new JinjaRefusal("the expression ends too early");
                default:
                    throw new JinjaRefusal($"unexpected '{token.Text}'");
            }
        }

        private void CheckName(string name)
        {
            if (name.StartsWith('_'))
            {
                throw new JinjaRefusal($"the name '{name}' starts with an underscore");
            }
            if (!declared.Contains(name) && !MagicVariables.Contains(name))
            {
                throw new JinjaRefusal(name is "lookup" or "query" or "q"
                    ? $"'{name}' runs a lookup on the SiemAi host"
                    : $"'{name}' is not a declared variable (play/block/task vars, registered results, the loop variable or facts)");
            }
        }

        private void Postfix()
        {
            while (true)
            {
                if (Accept(T.Op, "."))
                {
                    var attr = Peek;
                    if (attr.Kind == T.Number)
                    {
                        _pos++;
                        continue;
                    }
                    if (attr.Kind != T.Name)
                    {
                        throw new JinjaRefusal("an attribute must be a name");
                    }
                    _pos++;
                    CheckAttribute(attr.Text);
                }
                else if (Accept(T.Op, "["))
                {
                    if (Peek.Kind == T.String)
                    {
                        CheckAttribute(Peek.Text);
                    }
                    if (Peek.Kind == T.Op && Peek.Text == ":" || SliceAhead())
                    {
                        throw new JinjaRefusal("slices are not allowed");
                    }
                    Conditional();
                    Expect("]");
                }
                else if (Peek.Kind == T.Op && Peek.Text == "(")
                {
                    throw new JinjaRefusal("calls are not allowed (a call can run any method or a lookup)");
                }
                else
                {
                    return;
                }
            }
        }

        private bool SliceAhead()
        {
            var depth = 0;
            for (var i = _pos; i < tokens.Count; i++)
            {
                var t = tokens[i];
                if (t.Kind != T.Op)
                {
                    continue;
                }
                if (t.Text is "(" or "[" or "{")
                {
                    depth++;
                }
                else if (t.Text is ")" or "]" or "}")
                {
                    if (depth == 0)
                    {
                        return false;
                    }
                    depth--;
                }
                else if (t.Text == ":" && depth == 0)
                {
                    return true;
                }
            }
            return false;
        }

        private static void CheckAttribute(string name)
        {
            if (name.StartsWith('_') || name is "mro" or "self" or "func_globals" or "gi_frame" or "f_globals")
            {
                throw new JinjaRefusal($"the attribute '{name}' reaches Python internals");
            }
        }

        private void FilterAndTest()
        {
            while (true)
            {
                if (Accept(T.Op, "|"))
                {
                    var name = QualifiedName("filter");
                    if (!Filters.Contains(name))
                    {
                        throw new JinjaRefusal($"the filter '{name}' is not on the allowed list ({string.Join(", ", Filters)})");
                    }
                    if (Peek.Kind == T.Op && Peek.Text == "(")
                    {
                        Arguments(name);
                    }
                    Postfix();
                }
                else if (Accept(T.Name, "is"))
                {
                    Accept(T.Name, "not");
                    var name = QualifiedName("test");
                    if (!Tests.Contains(name))
                    {
                        throw new JinjaRefusal($"the test '{name}' is not on the allowed list ({string.Join(", ", Tests)})");
                    }
                    if (Peek.Kind == T.Op && Peek.Text == "(")
                    {
                        Arguments(name);
                    }
                }
                else
                {
                    return;
                }
            }
        }

        /// <summary>A filter or test name; <c>ansible.builtin.x</c> is accepted as <c>x</c>.</summary>
        private string QualifiedName(string what)
        {
            if (Peek.Kind != T.Name)
            {
                throw new JinjaRefusal($"a {what} must be a name");
            }
            var parts = new List<string> { tokens[_pos++].Text };
            while (Peek.Kind == T.Op && Peek.Text == "." && _pos + 1 < tokens.Count && tokens[_pos + 1].Kind == T.Name)
            {
                _pos++;
                parts.Add(tokens[_pos++].Text);
            }
            return parts.Count == 1 ? parts[0]
                : parts.Count == 3 && parts[0] == "ansible" && parts[1] == "builtin" ? parts[2]
                : string.Join('.', parts);
        }

        private void Arguments(string owner)
        {
            Expect("(");
            var first = true;
            while (!Accept(T.Op, ")"))
            {
                if (!first)
                {
                    Expect(",");
                    if (Accept(T.Op, ")"))
                    {
                        return;
                    }
                }
                if (Peek.Kind == T.Op && Peek.Text is "*" or "**")
                {
                    throw new JinjaRefusal("argument unpacking is not allowed");
                }
                if (Peek.Kind == T.Name && _pos + 1 < tokens.Count && tokens[_pos + 1] is { Kind: T.Op, Text: "=" })
                {
                    if (Peek.Text.StartsWith('_'))
                    {
                        throw new JinjaRefusal($"the keyword argument '{Peek.Text}' starts with an underscore");
                    }
                    _pos += 2;
                }
                else if (first && FilterTakingFilter.Contains(owner))
                {
                    if (Peek.Kind != T.String || !Filters.Contains(Peek.Text) || FilterTakingFilter.Contains(Peek.Text))
                    {
                        throw new JinjaRefusal($"'{owner}' applies '{Peek.Text}', which is not an allowed filter (use a literal filter name or attribute=...)");
                    }
                }
                Conditional();
                first = false;
            }
        }
    }
}
