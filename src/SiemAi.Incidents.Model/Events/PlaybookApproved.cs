using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary>
/// <c>playbook_approved</c>: one approval of the playbook (for its check run, or with <see cref="ForApply"/> for a
/// real run); <see cref="Complete"/> when it was the last one needed. The runner authorises runs on these fields.
/// </summary>
public sealed record PlaybookApproved(string Approver, string? Comment, int Approvals, int Required, bool Complete, bool ForApply) : IIncidentEvent;
