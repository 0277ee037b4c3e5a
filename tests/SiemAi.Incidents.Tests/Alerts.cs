using SiemAi.Contracts;

namespace SiemAi.Incidents.Tests;

public static class Alerts
{
    /// <summary>An SSH brute-force alert on web-01, submitted through the webhook by <see cref="IncidentSpec.Raiser"/>.</summary>
    public static NormalizedAlert Ssh(Severity severity = Severity.High, string? submittedBy = IncidentSpec.Raiser)
    {
        var observed = DateTimeOffset.UtcNow.AddMinutes(-2);
        return new NormalizedAlert
        {
            AlertId = Guid.NewGuid(),
            SourceSystem = "wazuh",
            Format = "wazuh",
            RuleId = "5712",
            RuleName = "sshd brute force",
            Title = "SSH brute force against web-01",
            Severity = severity,
            Asset = "web-01",
            AssetGroups = ["webservers"],
            User = "root",
            SourceIp = "203.0.113.7",
            DestinationIp = "10.0.0.11",
            DestinationPort = 22,
            MitreTechniques = ["T1110"],
            ObservedAt = observed,
            ReceivedAt = observed.AddSeconds(3),
            Fingerprint = "fp-ssh-web-01",
            RawPayload = "{\"rule\":{\"id\":\"5712\"}}",
            Fields = submittedBy is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["submitted_by"] = submittedBy },
        };
    }
}
