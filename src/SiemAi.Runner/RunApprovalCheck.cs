using System.Text.Json;
using SiemAi.Contracts;
using SiemAi.EventStore;

namespace SiemAi.Runner;

/// <summary>
/// Reads the incident's audit stream and answers whether these exact bytes may run: the hash must have
/// passed the safety gate (<c>playbook_verified</c>) and then been approved to completion
/// (<c>playbook_approved</c> with <c>complete: true</c>; <c>for_apply: true</c> for a real run).
/// The stream is the source of truth, not the command: a forged or replayed RunPlaybook gains nothing.
/// </summary>
public sealed class RunApprovalCheck(PostgresEventStore store)
{
    public static string StreamId(Guid incidentId) => $"incident-{incidentId:D}";

    public async Task<RunApproval> CheckAsync(Guid incidentId, string playbookSha256, RunMode mode, CancellationToken ct = default)
    {
        long? verifiedAt = null;
        string? verdict = null;
        string? risk = null;
        long? rejectedAt = null;
        long? checkCompleteAt = null;
        long? applyCompleteAt = null;
        var approvers = new List<string>();
        var applyApprovers = new List<string>();
        var events = 0;

        await foreach (var e in store.ReadStreamAsync(StreamId(incidentId), ct: ct))
        {
            events++;
            if (!IsAbout(e, playbookSha256, out var data))
            {
                continue;
            }

            using (data)
            {
                var root = data.RootElement;
                switch (e.Type)
                {
                    case "playbook_verified":
                        verifiedAt ??= e.Version;
                        verdict = Text(root, "verdict");
                        risk = Text(root, "risk");
                        break;
                    case "playbook_rejected":
                        rejectedAt ??= e.Version;
                        break;
                    case "playbook_approved" when verifiedAt is not null:
                        var forApply = Flag(root, "for_apply");
                        var approver = Text(root, "approver");
                        if (approver is not null)
                        {
                            (forApply ? applyApprovers : approvers).Add(approver);
                        }

                        if (Flag(root, "complete"))
                        {
                            if (forApply)
                            {
                                applyCompleteAt ??= e.Version;
                            }
                            else
                            {
                                checkCompleteAt ??= e.Version;
                            }
                        }

                        break;
                }
            }
        }

        if (events == 0)
        {
            return RunApproval.Refused($"incident {incidentId:D} has no audit stream; nothing was verified or approved");
        }

        if (verifiedAt is null)
        {
            return RunApproval.Refused($"playbook {playbookSha256} did not pass the safety gate for incident {incidentId:D} (no playbook_verified for this hash)");
        }

        if (rejectedAt is not null || verdict is not ("pass" or "warn"))
        {
            return RunApproval.Refused($"playbook {playbookSha256} was blocked by the safety gate (verdict '{verdict ?? "block"}')");
        }

        var allowed = mode == RunMode.Apply ? applyCompleteAt is not null : (checkCompleteAt ?? applyCompleteAt) is not null;
        if (!allowed)
        {
            return RunApproval.Refused(mode == RunMode.Apply
                ? $"playbook {playbookSha256} has no completed approval for a real run (playbook_approved with for_apply: true, complete: true)"
                : $"playbook {playbookSha256} has no completed approval (playbook_approved with complete: true)");
        }

        return new RunApproval
        {
            Allowed = true,
            Verdict = verdict,
            Risk = risk,
            Approvers = approvers.Distinct(StringComparer.Ordinal).ToList(),
            ApplyApprovers = applyApprovers.Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>
    /// The hash is in the event's metadata (<c>playbook_sha256</c>); data is accepted too, so an event
    /// written with the hash in either place is read the same way. Any other hash is another playbook.
    /// </summary>
    private static bool IsAbout(RecordedEvent e, string sha256, out JsonDocument data)
    {
        data = null!;
        if (e.Type is not ("playbook_verified" or "playbook_rejected" or "playbook_approved"))
        {
            return false;
        }

        string? hash;
        using (var metadata = JsonDocument.Parse(e.Metadata))
        {
            hash = Text(metadata.RootElement, "playbook_sha256");
        }

        var parsed = JsonDocument.Parse(e.Data);
        hash ??= Text(parsed.RootElement, "playbook_sha256");
        if (!string.Equals(hash, sha256, StringComparison.Ordinal))
        {
            parsed.Dispose();
            return false;
        }

        data = parsed;
        return true;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static bool Flag(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
