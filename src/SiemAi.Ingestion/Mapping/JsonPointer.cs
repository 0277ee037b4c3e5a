using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SiemAi.Ingestion.Mapping;

/// <summary>
/// An RFC 6901 JSON pointer (<c>/detection/rule/id</c>, <c>/tags/0</c>; <c>~1</c> is '/', <c>~0</c> is '~').
/// Parsed once at start, so a wrong setting stops the host instead of failing alerts later.
/// </summary>
public sealed class JsonPointer
{
    private JsonPointer(string text, IReadOnlyList<string> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string Text { get; }

    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The pointer as a dotted path (<c>detection.rule.id</c>), the way unmapped fields are named.</summary>
    public string DottedPath => string.Join('.', Tokens);

    public static bool TryParse(string? text, out JsonPointer? pointer, out string? error)
    {
        pointer = null;
        error = null;
        if (string.IsNullOrEmpty(text) || text[0] != '/')
        {
            error = "a JSON pointer starts with '/' (e.g. /detection/rule/id)";
            return false;
        }

        if (text.Length > 1024)
        {
            error = "a JSON pointer is at most 1024 characters";
            return false;
        }

        var tokens = new List<string>();
        foreach (var raw in text[1..].Split('/'))
        {
            var token = new StringBuilder(raw.Length);
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != '~')
                {
                    token.Append(raw[i]);
                    continue;
                }

                if (i + 1 >= raw.Length || raw[i + 1] is not ('0' or '1'))
                {
                    error = "'~' must be written ~0, and '/' inside a name ~1";
                    return false;
                }

                token.Append(raw[++i] == '0' ? '~' : '/');
            }

            if (token.Length == 0)
            {
                error = "a JSON pointer has no empty segments";
                return false;
            }

            tokens.Add(token.ToString());
        }

        pointer = new JsonPointer(text, tokens);
        return true;
    }

    /// <summary>The element the pointer names inside <paramref name="root"/>, or null when it is not there.</summary>
    public JsonElement? Resolve(JsonElement root)
    {
        var current = root;
        foreach (var token in Tokens)
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(token, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array
                     && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                     && index < current.GetArrayLength()
                     && (token == "0" || token[0] != '0'))
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>True when <paramref name="tokens"/> (a property path inside the body) is this pointer or lies beneath it.</summary>
    public bool Covers(IReadOnlyList<string> tokens)
    {
        if (tokens.Count < Tokens.Count)
        {
            return false;
        }

        for (var i = 0; i < Tokens.Count; i++)
        {
            if (!string.Equals(Tokens[i], tokens[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;
}
