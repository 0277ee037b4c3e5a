using System.Text.Json.Serialization;
using SiemAi.Contracts;

namespace SiemAi.Incidents.Model.Events;

/// <summary>An audit event of an incident stream; its stored name lives in <see cref="IncidentEvents"/>, nowhere else.</summary>
public interface IIncidentEvent;
