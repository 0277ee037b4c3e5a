using System.Text.Json;
using SiemAi.EventStore;

namespace SiemAi.Testing;

/// <summary>Writes what the incident saga would write to an incident's stream, in the audit format the runner reads.</summary>
public sealed class IncidentStreamWriter(PostgresEventStore store, Guid incidentId)
{
    public Guid IncidentId => incidentId;

    public Task VerifiedAsync(string sha256, string verdict = "pass") =>
        AppendAsync("playbook_verified", sha256, "service:saga", new { verdict, risk = "low", findings = Array.Empty<object>() });

    public Task RejectedAsync(string sha256) =>
        AppendAsync("playbook_rejected", sha256, "service:saga", new { verdict = "block", risk = "critical", findings = Array.Empty<object>() });

    /// <summary>One approving decision; dual control: the second distinct approver completes it.</summary>
    public Task ApprovedAsync(string sha256, string approver, int approvals, bool forApply = false, int required = 2) =>
        AppendAsync("playbook_approved", sha256, $"approver:{approver}", new
        {
            approver,
            comment = (string?)null,
            approvals,
            required,
            complete = approvals >= required,
            for_apply = forApply,
        });

    /// <summary>Verified, then approved by alice and bob: what a check run needs.</summary>
    public async Task ApprovedForCheckAsync(string sha256)
    {
        await VerifiedAsync(sha256);
        await ApprovedAsync(sha256, "alice", 1);
        await ApprovedAsync(sha256, "bob", 2);
    }

    /// <summary>The second round of dual control, on the check result: what an apply run needs.</summary>
    public async Task ApprovedForApplyAsync(string sha256)
    {
        await ApprovedAsync(sha256, "carol", 1, forApply: true);
        await ApprovedAsync(sha256, "dave", 2, forApply: true);
    }

    private Task AppendAsync(string type, string sha256, string actor, object data) =>
        store.AppendAsync($"incident-{incidentId:D}", ExpectedVersion.Any,
        [
            new EventData(Guid.NewGuid(), type, JsonSerializer.Serialize(data), new EventMetadata
            {
                Actor = actor,
                CorrelationId = incidentId,
                CausationId = Guid.NewGuid(),
                MessageId = Guid.NewGuid(),
                PlaybookSha256 = sha256,
            }),
        ]);
}
