using SiemAi.Contracts;
using SiemAi.EventStore;
using SiemAi.Incidents.Model;
using SiemAi.Incidents.Model.Events;
using PlaybookVerified = SiemAi.Incidents.Model.Events.PlaybookVerified;

namespace SiemAi.Runner;

/// <summary>
/// Reads the incident's audit stream through the incident model and answers whether these exact bytes may run:
/// the hash must have passed the safety gate (<see cref="PlaybookVerified"/>) and then been approved to completion
/// (<see cref="PlaybookApproved"/> with <c>Complete</c>; <c>ForApply</c> for a real run).
/// The stream is the source of truth, not the command: a forged or replayed RunPlaybook gains nothing.
/// </summary>
public sealed class RunApprovalCheck(PostgresEventStore store)
{
    public async Task<RunApproval> CheckAsync(Guid incidentId, string playbookSha256, RunMode mode, CancellationToken ct = default)
    {
        long? verifiedAt = null;
        SafetyVerdict? verdict = null;
        RiskLevel? risk = null;
        long? rejectedAt = null;
        long? checkCompleteAt = null;
        long? applyCompleteAt = null;
        var approvers = new List<string>();
        var applyApprovers = new List<string>();
        var events = 0;

        await foreach (var recorded in store.ReadStreamAsync(IncidentStream.Id(incidentId), ct: ct))
        {
            events++;
            var e = IncidentEvents.Read(recorded);

            // The hash is in the event's metadata: any other hash is another playbook.
            if (!string.Equals(e.PlaybookSha256, playbookSha256, StringComparison.Ordinal))
            {
                continue;
            }

            switch (e.Event)
            {
                case PlaybookVerified verified:
                    verifiedAt ??= e.Version;
                    verdict = verified.Verdict;
                    risk = verified.Risk;
                    break;
                case PlaybookRejected:
                    rejectedAt ??= e.Version;
                    break;
                case UnknownIncidentEvent { Type: var type } when IncidentEvents.TypeOf(type) == typeof(PlaybookVerified):
                    // A verdict this release cannot read is no verdict: it blocks rather than lets through.
                    rejectedAt ??= e.Version;
                    break;
                case PlaybookApproved approved when verifiedAt is not null:
                    (approved.ForApply ? applyApprovers : approvers).Add(approved.Approver);
                    if (approved.Complete)
                    {
                        if (approved.ForApply)
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

        if (events == 0)
        {
            return RunApproval.Refused($"incident {incidentId:D} has no audit stream; nothing was verified or approved");
        }

        if (verifiedAt is null)
        {
            return RunApproval.Refused($"playbook {playbookSha256} did not pass the safety gate for incident {incidentId:D} (no playbook_verified for this hash)");
        }

        var verdictName = verdict is { } v ? IncidentEvents.ValueName(v) : null;
        if (rejectedAt is not null || verdict is not (SafetyVerdict.Pass or SafetyVerdict.Warn))
        {
            return RunApproval.Refused($"playbook {playbookSha256} was blocked by the safety gate (verdict '{verdictName ?? "block"}')");
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
            Verdict = verdictName,
            Risk = risk is { } r ? IncidentEvents.ValueName(r) : null,
            Approvers = approvers.Distinct(StringComparer.Ordinal).ToList(),
            ApplyApprovers = applyApprovers.Distinct(StringComparer.Ordinal).ToList(),
        };
    }
}
