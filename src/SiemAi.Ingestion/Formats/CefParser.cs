using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// ArcSight CEF: <c>CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension</c>.
/// Header fields escape <c>\|</c> and <c>\\</c>; extension values escape <c>\=</c>, <c>\\</c>, <c>\n</c>, <c>\r</c>.
/// A syslog header before <c>CEF:</c> is allowed (CEF over syslog) and ignored here.
/// </summary>
public static partial class CefParser
{
    private static readonly string[] Header = ["version", "deviceVendor", "deviceProduct", "deviceVersion", "signatureId", "name", "severity"];

    private static readonly string[] TimeFormats =
    [
        "MMM dd yyyy HH:mm:ss.fff zzz", "MMM dd yyyy HH:mm:ss.fff", "MMM dd yyyy HH:mm:ss zzz", "MMM dd yyyy HH:mm:ss",
        "MMM dd HH:mm:ss.fff zzz", "MMM dd HH:mm:ss.fff", "MMM dd HH:mm:ss zzz", "MMM dd HH:mm:ss",
    ];

    [GeneratedRegex(@"[^\w.\-:@/]", RegexOptions.CultureInvariant)]
    private static partial Regex NotSourceChar();

    [GeneratedRegex(@"(?:^|(?<=\s))([A-Za-z0-9_.\[\]-]+)=", RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionKey();

    public static bool LooksLikeCef(string text) => text.Contains("CEF:", StringComparison.Ordinal);

    /// <summary>Parses one CEF record. <paramref name="fallbackHost"/> and <paramref name="fallbackTime"/> come from a syslog header.</summary>
    public static NormalizedAlert Parse(string line, string raw, DateTimeOffset receivedAt, string? fallbackHost = null, DateTimeOffset? fallbackTime = null, string field = "body")
    {
        var start = line.IndexOf("CEF:", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new PayloadRejectedException(field, "A CEF record starts with 'CEF:'.");
        }

        var text = line[(start + 4)..].TrimEnd('\r', '\n');
        var header = new List<string>(7);
        var current = new StringBuilder();
        var i = 0;
        for (; i < text.Length && header.Count < 7; i++)
        {
            var ch = text[i];
            if (ch == '\\' && i + 1 < text.Length && text[i + 1] is '|' or '\\')
            {
                current.Append(text[++i]);
            }
            else if (ch == '|')
            {
                header.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(ch);
            }
        }

        if (header.Count < 7)
        {
            throw new PayloadRejectedException($"{field}.cef.{Header[Math.Min(header.Count, 6)]}", $"A CEF header has 7 '|'-separated fields; found {header.Count}.");
        }

        if (header[0].Trim() is not ("0" or "1"))
        {
            throw new PayloadRejectedException(field + ".cef.version", $"CEF version '{header[0]}' is not supported (0 or 1).");
        }

        for (var h = 1; h < 7; h++)
        {
            if (string.IsNullOrWhiteSpace(header[h]))
            {
                throw new PayloadRejectedException($"{field}.cef.{Header[h]}", $"CEF header field {Header[h]} is empty.");
            }
        }

        var severityText = header[6].Trim();
        var severity = int.TryParse(severityText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number is >= 0 and <= 10 ? SeverityMapping.FromCef(number) : throw new PayloadRejectedException(field + ".cef.severity", "CEF severity must be 0-10.")
            : severityText.ToLowerInvariant() switch
            {
                "unknown" => Severity.Info,
                "low" => Severity.Low,
                "medium" => Severity.Medium,
                "high" => Severity.High,
                "very-high" => Severity.Critical,
                _ => throw new PayloadRejectedException(field + ".cef.severity", $"Unknown CEF severity '{severityText}'."),
            };

        var ext = ParseExtension(text[i..]);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cef.deviceVendor"] = header[1],
            ["cef.deviceProduct"] = header[2],
            ["cef.deviceVersion"] = header[3],
        };
        var mitreCandidates = new List<string?>();
        foreach (var (key, value) in ext)
        {
            fields[key] = TextLimits.Cap(value, 4096)!;
            // csN/cnN/flexStringN carry their meaning in the matching ...Label key.
            if (ext.TryGetValue(key + "Label", out var label) && !string.IsNullOrWhiteSpace(label))
            {
                fields[label] = TextLimits.Cap(value, 4096)!;
                if (IsMitreName(label))
                {
                    mitreCandidates.Add(value);
                }
            }

            if (IsMitreName(key))
            {
                mitreCandidates.Add(value);
            }
        }

        string? Ext(params string[] keys) => keys.Select(k => ext.GetValueOrDefault(k)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

        var vendorProduct = NotSourceChar().Replace($"{header[1].Trim()}-{header[2].Trim()}".ToLowerInvariant().Replace(' ', '-'), "_");
        return new NormalizedAlert
        {
            AlertId = Guid.CreateVersion7(receivedAt),
            SourceSystem = TextLimits.Cap(vendorProduct, 128)!,
            Format = AlertFormats.Cef,
            RuleId = header[4].Trim(),
            RuleName = header[5].Trim(),
            Title = TextLimits.Title512(header[5]),
            Description = TextLimits.Cap(Ext("msg"), TextLimits.Description),
            Severity = severity,
            Asset = Ext("dhost", "dvchost", "shost") ?? fallbackHost,
            User = Ext("duser", "suser"),
            SourceIp = Ext("src", "c6a2"),
            DestinationIp = Ext("dst", "c6a3"),
            DestinationPort = Ext("dpt") is { } dpt ? JsonFields.Port(dpt) ?? throw new PayloadRejectedException(field + ".dpt", "dpt must be a port number.") : null,
            Process = Ext("dproc", "sproc"),
            FilePath = Ext("filePath", "fname"),
            FileHash = Ext("fileHash"),
            Category = Ext("cat"),
            MitreTechniques = MitreText.Extract(mitreCandidates),
            ObservedAt = ParseTime(Ext("rt", "end", "start")) ?? fallbackTime ?? receivedAt,
            ReceivedAt = receivedAt,
            Fingerprint = "",
            RawPayload = raw,
            Fields = fields,
        };
    }

    /// <summary>Keys are found as <c>key=</c> after whitespace; a value runs to the next key (values may contain spaces).</summary>
    internal static Dictionary<string, string> ParseExtension(string extension)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var matches = ExtensionKey().Matches(extension)
            .Where(m => m.Index == 0 || !IsEscaped(extension, m.Index + m.Length - 1))
            .ToList();
        for (var m = 0; m < matches.Count; m++)
        {
            var valueStart = matches[m].Index + matches[m].Length;
            var valueEnd = m + 1 < matches.Count ? matches[m + 1].Index : extension.Length;
            result[matches[m].Groups[1].Value] = Unescape(extension[valueStart..valueEnd].TrimEnd());
        }

        return result;
    }

    private static bool IsEscaped(string text, int index)
    {
        var backslashes = 0;
        for (var j = index - 1; j >= 0 && text[j] == '\\'; j--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                var next = value[++i];
                sb.Append(next switch { 'n' => '\n', 'r' => '\r', _ => next });
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }

    private static bool IsMitreName(string name) =>
        name.Contains("mitre", StringComparison.OrdinalIgnoreCase) || name.Contains("technique", StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset? ParseTime(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        return DateTimeOffset.TryParseExact(value, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowInnerWhite, out var parsed)
            ? parsed
            : JsonFields.Time(value);
    }
}
