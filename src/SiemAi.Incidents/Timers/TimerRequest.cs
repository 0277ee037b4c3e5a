namespace SiemAi.Incidents.Timers;

/// <summary>A deadline a transition schedules (<see cref="Cancel"/> false) or cancels (true) by kind.</summary>
public sealed record TimerRequest(Guid TimerId, string Kind, DateTimeOffset DueAt, bool Cancel);
