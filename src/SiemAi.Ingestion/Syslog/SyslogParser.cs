using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SiemAi.Ingestion.Formats;

namespace SiemAi.Ingestion.Syslog;

/// <summary>
/// RFC 5424 and RFC 3164 with the variations devices really send: Cisco sequence numbers and <c>*</c>/<c>.</c>
/// time markers, a year or milliseconds in the BSD timestamp, ISO timestamps (rsyslog), a missing host name,
/// tags with or without <c>[pid]</c>. A message without a valid <c>&lt;PRI&gt;</c> is garbage.
/// </summary>
public static partial class SyslogParser
{
    private static readonly string[] BsdFormats =
    [
        "MMM d HH:mm:ss", "MMM d HH:mm:ss.FFFFFF", "MMM d yyyy HH:mm:ss", "MMM d yyyy HH:mm:ss.FFFFFF",
    ];

    [GeneratedRegex(@"^(?:\d{1,10}:\s*)?[*.]?(?:(?<bsd>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}(?:\s+\d{4})?\s+\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(?:\s+(?<tz>[A-Z]{3,4}))?|(?<iso>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?))?:?\s*(?<rest>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Bsd();

    [GeneratedRegex(@"^(?<tag>[^\s\[\]:]{1,64})(?:\[(?<pid>[^\]\s]{0,32})\])?:(?:\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    public static SyslogMessage Parse(string text)
    {
        text = text.TrimEnd('\r', '\n', '\0');
        if (text.Length < 3 || text[0] != '<')
        {
            throw new SyslogRejectedException("invalid_pri", "A syslog message starts with <PRI>.");
        }

        var close = text.IndexOf('>', 1);
        if (close is < 2 or > 4 || !int.TryParse(text.AsSpan(1, close - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pri) || pri > 191)
        {
            throw new SyslogRejectedException("invalid_pri", "PRI must be <0>..<191>.");
        }

        var body = text[(close + 1)..];
        return body.Length >= 2 && body[0] is >= '1' and <= '9' && body[1] == ' '
            ? Parse5424(pri, body)
            : Parse3164(pri, body);
    }

    private static SyslogMessage Parse5424(int pri, string body)
    {
        // VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]
        var position = 2;
        string Next()
        {
            var space = body.IndexOf(' ', position);
            if (space < 0)
            {
                throw new SyslogRejectedException("invalid_rfc5424", "RFC 5424 header is incomplete.");
            }

            var token = body[position..space];
            position = space + 1;
            return token;
        }

        var timestampText = Next();
        var host = Nil(Next());
        var app = Nil(Next());
        var procId = Nil(Next());
        var msgId = Nil(Next());
        DateTimeOffset? timestamp = null;
        if (timestampText != "-")
        {
            timestamp = DateTimeOffset.TryParse(timestampText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? t
                : throw new SyslogRejectedException("invalid_rfc5424", "RFC 5424 TIMESTAMP is not an RFC 3339 time.");
        }

        var sd = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position >= body.Length)
        {
            throw new SyslogRejectedException("invalid_rfc5424", "RFC 5424 STRUCTURED-DATA is missing.");
        }

        if (body[position] == '-')
        {
            position++;
        }
        else if (body[position] == '[')
        {
            position = ParseStructuredData(body, position, sd);
        }
        else
        {
            throw new SyslogRejectedException("invalid_rfc5424", "RFC 5424 STRUCTURED-DATA must be '-' or [..].");
        }

        var message = position < body.Length ? body[(position + (body[position] == ' ' ? 1 : 0))..] : "";
        message = message.TrimStart('\uFEFF');
        return new SyslogMessage
        {
            Format = AlertFormats.Rfc5424,
            Facility = pri >> 3,
            SeverityCode = pri & 7,
            Timestamp = timestamp,
            Host = host,
            AppName = app,
            ProcId = procId,
            MsgId = msgId,
            StructuredData = sd,
            Message = message,
        };
    }

    private static int ParseStructuredData(string body, int position, Dictionary<string, string> sd)
    {
        while (position < body.Length && body[position] == '[')
        {
            position++;
            var idEnd = IndexOfAny(body, position, ' ', ']');
            var id = body[position..idEnd];
            if (id.Length == 0 || id.Length > 32)
            {
                throw new SyslogRejectedException("invalid_rfc5424", "SD-ID must be 1-32 characters.");
            }

            position = idEnd;
            while (body[position] == ' ')
            {
                position++;
                var eq = body.IndexOf('=', position);
                if (eq < 0 || eq + 1 >= body.Length || body[eq + 1] != '"')
                {
                    throw new SyslogRejectedException("invalid_rfc5424", "SD-PARAM must be name=\"value\".");
                }

                var name = body[position..eq];
                var value = new StringBuilder();
                position = eq + 2;
                while (true)
                {
                    if (position >= body.Length)
                    {
                        throw new SyslogRejectedException("invalid_rfc5424", "Unterminated SD-PARAM value.");
                    }

                    var ch = body[position];
                    if (ch == '\\' && position + 1 < body.Length && body[position + 1] is '"' or '\\' or ']')
                    {
                        value.Append(body[position + 1]);
                        position += 2;
                    }
                    else if (ch == '"')
                    {
                        position++;
                        break;
                    }
                    else
                    {
                        value.Append(ch);
                        position++;
                    }
                }

                sd[$"{id}.{name}"] = value.ToString();
                if (position >= body.Length)
                {
                    throw new SyslogRejectedException("invalid_rfc5424", "Unterminated SD-ELEMENT.");
                }
            }

            if (body[position] != ']')
            {
                throw new SyslogRejectedException("invalid_rfc5424", "SD-ELEMENT must end with ']'.");
            }

            position++;
        }

        return position;
    }

    private static int IndexOfAny(string text, int start, char a, char b)
    {
        var index = text.IndexOfAny([a, b], start);
        return index < 0 ? throw new SyslogRejectedException("invalid_rfc5424", "Unterminated SD-ELEMENT.") : index;
    }

    private static SyslogMessage Parse3164(int pri, string body)
    {
        var match = Bsd().Match(body);
        DateTimeOffset? timestamp = null;
        if (match.Groups["iso"].Success)
        {
            timestamp = JsonFields.Time(match.Groups["iso"].Value);
        }
        else if (match.Groups["bsd"].Success)
        {
            var bsd = Regex.Replace(match.Groups["bsd"].Value, @"\s+", " ");
            if (DateTime.TryParseExact(bsd, BsdFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                // BSD timestamps carry no year: the current one, unless that puts the message in the future.
                if (bsd.Split(' ').Length == 3)
                {
                    var now = DateTime.UtcNow;
                    parsed = new DateTime(now.Year, parsed.Month, parsed.Day, parsed.Hour, parsed.Minute, parsed.Second, parsed.Millisecond, DateTimeKind.Utc);
                    if (parsed > now.AddDays(1))
                    {
                        parsed = parsed.AddYears(-1);
                    }
                }

                timestamp = new DateTimeOffset(parsed, TimeSpan.Zero);
            }
        }

        var rest = match.Success ? match.Groups["rest"].Value : body;
        string? host = null;
        if (timestamp is not null)
        {
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            var first = space < 0 ? rest : rest[..space];
            if (first.Length > 0 && !Tag().IsMatch(first + " ") && space > 0)
            {
                host = first;
                rest = rest[(space + 1)..];
            }
        }

        string? tag = null, pid = null;
        var tagMatch = Tag().Match(rest);
        if (tagMatch.Success)
        {
            tag = tagMatch.Groups["tag"].Value;
            pid = tagMatch.Groups["pid"].Success ? tagMatch.Groups["pid"].Value : null;
            rest = rest[tagMatch.Length..];
        }

        return new SyslogMessage
        {
            Format = AlertFormats.Rfc3164,
            Facility = pri >> 3,
            SeverityCode = pri & 7,
            Timestamp = timestamp,
            Host = host,
            AppName = tag,
            ProcId = pid,
            Message = rest.Trim(),
        };
    }

    private static string? Nil(string token) => token == "-" ? null : token;
}
