namespace SiemAi.Incidents.Model;

/// <summary>
/// Why a decision cannot count: <see cref="Reason"/> is what the saga audits in <c>decision_rejected</c> (stored text,
/// pinned by the golden streams), <see cref="Title"/> and <see cref="Detail"/> what the API answers with its 409.
/// </summary>
public sealed record ApprovalRefusal(string Reason, string Title, string Detail)
{
    public static ApprovalRefusal OtherPlaybook { get; } = new(
        "the decision names another playbook than the one under review",
        "Playbook hash mismatch", "playbookSha256 is not the playbook under review; reload it and review again.");

    public static ApprovalRefusal Service { get; } = new(
        "a service (the generator included) is never an approver",
        "Service approver", "A service (the generator included) is never an approver.");

    public static ApprovalRefusal Raiser { get; } = new(
        "nobody approves an incident they raised",
        "Self-approval", "Nobody decides on an incident they raised.");

    public static ApprovalRefusal Editor { get; } = new(
        "nobody approves a playbook they had regenerated",
        "Editor approval", "Nobody approves a playbook they had regenerated.");

    public static ApprovalRefusal AlreadyApproved { get; } = new(
        "this approver has already approved; dual control needs a second, distinct person",
        "Already approved", "You have already approved; dual control needs a second, distinct person.");
}
