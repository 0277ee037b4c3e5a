using System.Text.RegularExpressions;
using SiemAi.Contracts;
using SiemAi.Ingestion.Formats;

namespace SiemAi.Ingestion.Syslog;

/// <summary>
/// A syslog message as an alert. CEF inside the message is parsed as CEF (the syslog host fills in a
/// missing asset); otherwise the message text is the title and well-known structured-data parameters
/// (src, dst, user, technique) fill the alert's fields.
/// </summary>
public static partial class SyslogAlertMapper
{
    [GeneratedRegex(@"^[A-Za-z0-9_]([A-Za-z0-9_.\-]{0,251}[A-Za-z0-9_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();

    [GeneratedRegex(@"[^\w.\-:@/ ]", RegexOptions.CultureInvariant)]
    private static partial Regex NotSourceChar();

    public static NormalizedAlert Map(SyslogMessage message, string raw, DateTimeOffset receivedAt)
    {
        var host = message.Host is { } h && (HostName().IsMatch(h) || AddressText.IsIp(h)) ? h : null;
        if (CefParser.LooksLikeCef(message.Message))
        {
            NormalizedAlert cef;
            try
            {
                cef = CefParser.Parse(message.Message, raw, receivedAt, host, message.Timestamp);
            }
            catch (PayloadRejectedException ex)
            {
                throw new SyslogRejectedException("invalid_cef", ex.Message);
            }

            var withSyslog = new Dictionary<string, string>(cef.Fields, StringComparer.Ordinal) { ["syslog.format"] = message.Format };
            AddIf(withSyslog, "syslog.host", message.Host);
            return cef with { Fields = withSyslog };
        }

        if (string.IsNullOrWhiteSpace(message.Message))
        {
            throw new SyslogRejectedException("empty", "The syslog message has no text.");
        }

        var sd = message.StructuredData;
        string? Sd(params string[] names) =>
            sd.Where(p => names.Contains(p.Key[(p.Key.LastIndexOf('.') + 1)..], StringComparer.OrdinalIgnoreCase))
                .Select(p => p.Value)
                .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["syslog.facility"] = message.Facility.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["syslog.severity"] = message.SeverityCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        AddIf(fields, "syslog.host", message.Host);
        AddIf(fields, "syslog.procid", message.ProcId);
        foreach (var (key, value) in sd.Take(100))
        {
            fields["sd." + key] = TextLimits.Cap(value, 4096)!;
        }

        var app = message.AppName is { Length: > 0 } a ? TextLimits.Cap(NotSourceChar().Replace(a, "_"), 128) : null;
        return new NormalizedAlert
        {
            AlertId = Guid.CreateVersion7(receivedAt),
            SourceSystem = app ?? "syslog",
            Format = message.Format,
            RuleId = message.MsgId ?? Sd("rule_id", "ruleid"),
            RuleName = Sd("rule", "rule_name") ?? app,
            Title = TextLimits.Title512(message.Message),
            Description = TextLimits.Cap(message.Message, TextLimits.Description),
            Severity = SeverityMapping.Parse(Sd("severity"), SeverityMapping.FromWazuhLevel) ?? SeverityMapping.FromSyslog(message.SeverityCode),
            Asset = host,
            User = Sd("user", "duser", "suser", "username"),
            SourceIp = Sd("src", "srcip", "src_ip", "source_ip"),
            DestinationIp = Sd("dst", "dstip", "dst_ip", "destination_ip"),
            Category = Sd("category", "cat"),
            MitreTechniques = MitreText.Extract([Sd("technique", "mitre", "technique_id")]),
            ObservedAt = message.Timestamp ?? receivedAt,
            ReceivedAt = receivedAt,
            Fingerprint = "",
            RawPayload = raw,
            Fields = fields,
        };
    }

    private static void AddIf(Dictionary<string, string> fields, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            fields[name] = TextLimits.Cap(value, 4096)!;
        }
    }
}
