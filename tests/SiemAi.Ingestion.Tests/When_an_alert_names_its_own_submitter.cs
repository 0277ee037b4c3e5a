using SiemAi.Contracts;
using SiemAi.Ingestion;

namespace SiemAi.Ingestion.Tests;

/// <summary>Who raised an alert comes from authentication, never from the payload.</summary>
public sealed class When_an_alert_names_its_own_submitter
{
    private static NormalizedAlert Alert(Dictionary<string, string> fields) => new()
    {
        AlertId = Guid.NewGuid(),
        SourceSystem = "splunk",
        Format = "generic",
        Title = "t",
        Severity = Severity.High,
        ObservedAt = DateTimeOffset.UtcNow,
        ReceivedAt = DateTimeOffset.UtcNow,
        Fingerprint = "f",
        RawPayload = "{}",
        Fields = fields,
    };

    [Fact]
    public void The_authenticated_key_name_replaces_the_payload_claim()
    {
        var alert = AlertIngestor.SubmittedBy(Alert(new() { ["submitted_by"] = "alice", ["rule"] = "x" }), "siem-prod");

        Assert.Equal("siem-prod", alert.Fields["submitted_by"]);
        Assert.Equal("x", alert.Fields["rule"]);
    }

    [Fact]
    public void An_unauthenticated_path_drops_the_claim_so_the_source_system_raises_it()
    {
        var alert = AlertIngestor.SubmittedBy(Alert(new() { ["submitted_by"] = "alice" }), submitter: null);

        Assert.False(alert.Fields.ContainsKey("submitted_by"));
    }
}
