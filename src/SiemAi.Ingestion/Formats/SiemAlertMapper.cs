using SiemAi.Contracts;

namespace SiemAi.Ingestion.Formats;

/// <summary>A broker <see cref="SiemAlert"/> in our shape; severity words or numbers (Wazuh scale) are mapped.</summary>
public static class SiemAlertMapper
{
    public static NormalizedAlert Map(SiemAlert message, string raw, DateTimeOffset receivedAt) => new()
    {
        AlertId = message.AlertId,
        SourceSystem = message.Source.Trim(),
        Format = AlertFormats.Broker,
        RuleId = message.RuleId,
        RuleName = message.RuleName,
        Title = message.Title.Trim(),
        Description = message.Description,
        Severity = SeverityMapping.ParseWazuhScale(message.Severity)
            ?? throw new PayloadRejectedException("severity", $"Unknown severity '{message.Severity}'."),
        Asset = message.Host,
        AssetGroups = message.HostGroups ?? [],
        User = message.User,
        SourceIp = message.SourceIp,
        DestinationIp = message.DestinationIp,
        DestinationPort = message.DestinationPort,
        Process = message.Process,
        FilePath = message.FilePath,
        FileHash = message.FileHash,
        Category = message.Category,
        MitreTechniques = message.MitreTechniques?.Select(t => t.Trim().ToUpperInvariant()).ToList() ?? [],
        ObservedAt = message.Timestamp == default ? receivedAt : message.Timestamp,
        ReceivedAt = receivedAt,
        Fingerprint = "",
        RawPayload = raw,
        Fields = message.Fields ?? new Dictionary<string, string>(),
    };
}
