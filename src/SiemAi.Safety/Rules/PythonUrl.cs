namespace SiemAi.Safety.Rules;

/// <summary>
/// The host a URL reaches, read the way Python does for Ansible's url modules (urllib.request's <c>unwrap</c> of
/// <c>&lt;URL:...&gt;</c>, the fragment cut at '#', netloc up to the first '/', '?' or '#'). Anything two parsers could
/// read differently — userinfo ('@'), backslashes, whitespace or control characters, percent-escapes in the host,
/// a scheme other than http/https — is refused instead of guessed.
/// </summary>
internal static class PythonUrl
{
    public static bool LooksLikeUrl(string text) =>
        text.Contains("://", StringComparison.Ordinal) || text.Contains("URL:", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith("//", StringComparison.Ordinal);

    /// <summary>The lower-case host, or null with <paramref name="why"/> when the URL is refused.</summary>
    public static string? Host(string raw, out string why)
    {
        why = "";
        var s = raw.Trim();
        if (s.StartsWith('<') && s.EndsWith('>'))
        {
            s = s[1..^1].Trim();
        }
        if (s.StartsWith("URL:", StringComparison.OrdinalIgnoreCase))
        {
            s = s[4..].Trim();
        }
        if (s.Any(c => c <= ' ' || c == '\\' || c == '\x7f' || c > '~'))
        {
            why = "it contains whitespace, control or non-ASCII characters, or backslashes, which parsers split differently";
            return null;
        }
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? s[..colon].ToLowerInvariant() : "";
        if (scheme is not ("http" or "https"))
        {
            why = $"the scheme '{scheme}' is not http or https";
            return null;
        }
        var rest = s[(colon + 1)..];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            why = "it has no '//host' part";
            return null;
        }
        var netloc = rest[2..];
        var end = netloc.IndexOfAny(['/', '?', '#']);
        if (end >= 0)
        {
            netloc = netloc[..end];
        }
        if (netloc.Contains('@', StringComparison.Ordinal))
        {
            why = "it carries user information ('@'), which hides the real host";
            return null;
        }
        string host;
        string port;
        if (netloc.StartsWith('['))
        {
            var close = netloc.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                why = "an unclosed IPv6 bracket";
                return null;
            }
            host = netloc[1..close];
            port = netloc[(close + 1)..];
            if (!host.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'))
            {
                why = "the IPv6 host holds unexpected characters";
                return null;
            }
        }
        else
        {
            var p = netloc.IndexOf(':', StringComparison.Ordinal);
            host = p < 0 ? netloc : netloc[..p];
            port = p < 0 ? "" : netloc[p..];
            if (host.Length == 0 || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
            {
                why = "the host is empty or holds characters outside letters, digits, '.' and '-'";
                return null;
            }
        }
        if (port.Length > 0 && (port[0] != ':' || port.Length == 1 || !port[1..].All(char.IsAsciiDigit)))
        {
            why = "the port is not a number";
            return null;
        }
        return host.TrimEnd('.').ToLowerInvariant();
    }
}
