namespace SiemAi.Incidents.Model;

/// <summary>What <see cref="ApprovalPolicy"/> needs to know about an incident: the saga's state and the API's view both answer it.</summary>
public interface IApprovalSubject
{
    /// <summary>The hash of the playbook under review.</summary>
    string? PlaybookSha256 { get; }

    /// <summary>The principal that submitted the first alert.</summary>
    string? RaisedBy { get; }

    /// <summary>Approvers who asked for a regeneration.</summary>
    IEnumerable<string> Editors { get; }

    /// <summary>Approvers counted so far for the review (<c>false</c>) or for apply (<c>true</c>).</summary>
    IEnumerable<string> ApproversFor(bool forApply);
}
