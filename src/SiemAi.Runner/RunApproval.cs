namespace SiemAi.Runner;

/// <summary>
/// What an incident's stream says about one playbook hash: whether a run of the asked mode is allowed,
/// and if not, why. <see cref="Approvers"/> approved the check run, <see cref="ApplyApprovers"/> the real run.
/// </summary>
public sealed record RunApproval
{
    public required bool Allowed { get; init; }
    public string? Reason { get; init; }
    public string? Verdict { get; init; }
    public string? Risk { get; init; }
    public IReadOnlyList<string> Approvers { get; init; } = [];
    public IReadOnlyList<string> ApplyApprovers { get; init; } = [];

    public static RunApproval Refused(string reason) => new() { Allowed = false, Reason = reason };
}
