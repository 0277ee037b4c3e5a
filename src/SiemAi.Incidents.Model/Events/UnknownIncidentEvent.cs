using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary>
/// An event whose stored type this release does not know, or whose data it cannot read: surfaced to the reader
/// (on the timeline, in the replay) and never dropped. <see cref="Error"/> says why it could not be read.
/// </summary>
public sealed record UnknownIncidentEvent(string Type, string Data, string? Error) : IIncidentEvent;
