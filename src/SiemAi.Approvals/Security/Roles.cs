namespace SiemAi.Approvals.Security;

public static class Roles
{
    public const string Approver = "approver";
    public const string Cab = "cab";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static readonly string[] All = [Approver, Cab, Auditor, Admin];

    /// <summary>Policy names: the endpoint's role, with admin always allowed to read.</summary>
    public const string ReadPolicy = "approvals:read";
    public const string ApprovePolicy = "approvals:approve";
    public const string CabPolicy = "approvals:cab";
    public const string AuditPolicy = "audit:read";
}
