using SiemAi.Contracts;
using SiemAi.EventStore;
using SiemAi.Incidents.Model;
using SiemAi.Incidents.Model.Events;
using PlaybookVerified = SiemAi.Incidents.Model.Events.PlaybookVerified;

namespace SiemAi.Testing;

/// <summary>Writes what the incident saga would write to an incident's stream: the model's typed events, as the runner reads them.</summary>
public sealed class IncidentStreamWriter(PostgresEventStore store, Guid incidentId)
{
    public Guid IncidentId => incidentId;

    public Task VerifiedAsync(string sha256, string verdict = "pass") =>
        AppendAsync(new PlaybookVerified(Enum.Parse<SafetyVerdict>(verdict, ignoreCase: true), RiskLevel.Low, []), sha256, "service:saga");

    public Task RejectedAsync(string sha256) =>
        AppendAsync(new PlaybookRejected(SafetyVerdict.Block, RiskLevel.Critical, []), sha256, "service:saga");

    /// <summary>One approving decision; dual control: the second distinct approver completes it.</summary>
    public Task ApprovedAsync(string sha256, string approver, int approvals, bool forApply = false, int required = 2) =>
        AppendAsync(new PlaybookApproved(approver, Comment: null, approvals, required, Complete: approvals >= required, forApply), sha256, $"approver:{approver}");

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

    private Task AppendAsync(IIncidentEvent e, string sha256, string actor) =>
        store.AppendAsync(IncidentStream.Id(incidentId), ExpectedVersion.Any,
        [
            new EventData(Guid.NewGuid(), IncidentEvents.NameOf(e), IncidentEvents.Serialize(e), new EventMetadata
            {
                Actor = actor,
                CorrelationId = incidentId,
                CausationId = Guid.NewGuid(),
                MessageId = Guid.NewGuid(),
                PlaybookSha256 = sha256,
            }),
        ]);
}
