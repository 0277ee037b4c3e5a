namespace SiemAi.Contracts;

public enum ApprovalDecision
{
    Approve = 0,
    Deny = 1,
    Regenerate = 2,
}
