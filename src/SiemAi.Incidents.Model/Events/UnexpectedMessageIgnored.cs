using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary><c>unexpected_message_ignored</c>: a message the incident in its state does not take.</summary>
public sealed record UnexpectedMessageIgnored(string Message, string State) : IIncidentEvent;
