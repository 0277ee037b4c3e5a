using System.Text;
using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>
/// Turns the three ways Ansible accepts module arguments (a mapping, free-form <c>key=value</c> text, and the
/// <c>args</c> keyword) into one mapping, so a rule never misses an argument because of how it was written.
/// </summary>
internal static class TaskArgs
{
    public const string RawParams = "_raw_params";

    public static IReadOnlyDictionary<string, Node> Build(Node? moduleValue, Node? argsKeyword, int line)
    {
        var args = new Dictionary<string, Node>(StringComparer.Ordinal);
        if (argsKeyword is MappingNode extra)
        {
            foreach (var entry in extra.Entries)
            {
                args[entry.Key] = entry.Value;
            }
        }
        switch (moduleValue)
        {
            case MappingNode map:
                foreach (var entry in map.Entries)
                {
                    args[entry.Key] = entry.Value;
                }
                break;
            case ScalarNode { IsNull: false } text:
                ParseFreeForm(text, args, line);
                break;
        }
        return args;
    }

    private static void ParseFreeForm(ScalarNode text, Dictionary<string, Node> args, int line)
    {
        var raw = new List<string>();
        foreach (var token in Split(text.Value))
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && IsIdentifier(token.AsSpan(0, eq)))
            {
                args[token[..eq]] = new ScalarNode(text.Line > 0 ? text.Line : line, Unquote(token[(eq + 1)..]), plain: false, text.Unsafe);
            }
            else
            {
                raw.Add(token);
            }
        }
        if (raw.Count > 0)
        {
            args[RawParams] = new ScalarNode(text.Line, string.Join(' ', raw), plain: false, text.Unsafe);
        }
    }

    private static bool IsIdentifier(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }
        return true;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    /// <summary>Splits on whitespace outside quotes and outside Jinja braces, like Ansible's splitter.</summary>
    private static IEnumerable<string> Split(string text)
    {
        var current = new StringBuilder();
        char quote = '\0';
        var braces = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '{')
            {
                braces++;
            }
            else if (c == '}' && braces > 0)
            {
                braces--;
            }
            else if (char.IsWhiteSpace(c) && braces == 0)
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }
}
