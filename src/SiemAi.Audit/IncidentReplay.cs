using System.Text.Json;
using SiemAi.EventStore;
using SiemAi.Incidents.Model;
using SiemAi.Incidents.Model.Events;

namespace SiemAi.Audit;

/// <summary>
/// The incident model's projection folded to a version: the auditor's answer to "what did the system know and
/// decide at version N?" without trusting any table the application can write, plus a timeline that says, event by
/// event, what happened and the status it left.
/// </summary>
public static class IncidentReplay
{
    public const string StreamPrefix = IncidentStream.Prefix;

    /// <summary>Accepts a bare incident GUID or its stream id.</summary>
    public static bool TryParseStreamId(string incident, out string streamId) => IncidentStream.TryParse(incident, out streamId);

    /// <summary>
    /// The stream's events up to <paramref name="upToVersion"/> and recorded at or before <paramref name="asOf"/>
    /// (both optional), projected; null when no event qualifies.
    /// </summary>
    public static async Task<ReplayedIncident?> ReplayAsync(PostgresEventStore store, string streamId, long? upToVersion, DateTimeOffset? asOf, CancellationToken ct)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in store.ReadStreamAsync(streamId, 1, upToVersion ?? long.MaxValue, ct))
        {
            if (asOf is { } time && e.RecordedAt > time)
            {
                break;
            }

            events.Add(e);
        }

        return events.Count == 0 ? null : Project(streamId, events);
    }

    /// <summary>The JSON auditors get from <c>siemai audit replay --json</c> and from the HTTP API: snake_case, one shape.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static ReplayedIncident Project(string streamId, IReadOnlyList<RecordedEvent> events)
    {
        var view = IncidentProjection.Empty(streamId);
        var timeline = new List<TimelineEntry>();
        foreach (var recorded in events.OrderBy(e => e.Version))
        {
            var e = IncidentEvents.Read(recorded);
            IncidentProjection.Apply(view, e);
            timeline.Add(new TimelineEntry(e.Version, e.RecordedAt, e.Type, e.Actor, view.Status.Name(), Describe(e, view)));
        }

        return new ReplayedIncident
        {
            IncidentId = view.IncidentId,
            StreamId = streamId,
            Version = view.Version,
            AsOf = view.AsOf,
            Status = view.Status.Name(),
            Title = view.Title,
            Severity = Name(view.Severity),
            Asset = view.Asset,
            AlertCount = view.AlertCount,
            PlaybookSha256 = view.PlaybookSha256,
            PlaybookTitle = view.PlaybookTitle,
            Regenerations = view.Regenerations,
            Verdict = Name(view.Verdict),
            Risk = Name(view.Risk),
            RequiredApprovals = view.RequiredApprovals,
            Approvals = [.. view.Approvals],
            CabDecision = Name(view.CabDecision),
            Runs = [.. view.Runs],
            Outcome = Name(view.Outcome),
            ClosedReason = view.ClosedReason,
            Timeline = [.. timeline],
        };
    }

    /// <summary>One timeline line for <paramref name="e"/>, read against the view it has just updated.</summary>
    private static string Describe(IncidentEventEnvelope e, IncidentView view) => e.Event switch
    {
        AlertReceived a => $"alert #{view.AlertCount} from {a.SourceSystem}: {a.Title} ({IncidentEvents.ValueName(a.Severity)})",
        PlaybookGenerated g => $"playbook {Short(view.PlaybookSha256)} \"{g.Title}\" (attempt {g.Attempt})",
        PlaybookGenerationFailed f => $"generation failed (attempt {f.Attempt}): {f.Reason}",
        PlaybookRejected r => $"safety gate blocked {Short(e.PlaybookSha256)}: {Findings(r.Findings)}",
        PlaybookVerified v => $"safety verdict {IncidentEvents.ValueName(v.Verdict)}, risk {IncidentEvents.ValueName(v.Risk)}{(Findings(v.Findings) is { Length: > 0 } f ? ": " + f : string.Empty)}",
        ApprovalRequested r => $"{r.Required} approval(s) required{(r.NeedsCab ? " and a CAB decision" : string.Empty)}, deadline {Time(r.Deadline)}",
        PlaybookApproved a => $"approved{(a.ForApply ? " for apply" : string.Empty)} by {a.Approver} ({a.Approvals}/{a.Required})",
        ApprovalDenied d => $"denied by {d.Approver}{Comment(d.Comment)}",
        RegenerationRequested r => $"regeneration #{view.Regenerations} requested by {r.Approver}{Comment(r.Comment)}",
        DecisionRejected r => $"decision by {r.Approver ?? "?"} refused: {r.Reason}",
        CabRequested c => $"change-advisory board review requested (risk {Name(c.Risk)})",
        CabDecided c => $"CAB {IncidentEvents.ValueName(c.Decision)} change {c.ChangeRequestId} by {c.DecidedBy}",
        CheckRunStarted or ApplyRunStarted => view.Runs[^1] is var run ? $"{run.Mode} run {run.RunId} started (attempt {run.Attempt})" : string.Empty,
        CheckRunCompleted c => $"check run {c.RunId:D} {(c.Succeeded ? "succeeded" : "failed")}, exit code {c.ExitCode}",
        ApplyRunCompleted c => $"apply run {c.RunId:D} {(c.Succeeded ? "succeeded" : "failed")}, exit code {c.ExitCode}",
        RunFailed f => $"run {f.RunId:D} failed (attempt {f.Attempt}): {f.Reason}",
        RunRefused r => $"runner refused run {r.RunId:D}: {r.Reason}",
        ApprovalExpired x => $"no decision before {Time(x.Deadline)} ({x.Approvals}/{x.Required} approvals)",
        IncidentClosed c => $"closed: {IncidentEvents.ValueName(c.Outcome)}{(c.Reason is null ? string.Empty : " — " + c.Reason)}",
        StaleMessageIgnored s => $"{s.Message} ignored",
        UnexpectedMessageIgnored u => $"{u.Message} ignored",

        // Unknown types stay on the timeline, named (and with their message when they carry one).
        UnknownIncidentEvent u => MessageOf(u) is { } message ? $"{message} ignored" : u.Type,
        _ => e.Type,
    };

    private static string? Name<T>(T? value)
        where T : struct, Enum => value is { } v ? IncidentEvents.ValueName(v) : null;

    /// <summary>A time as the event stores it (the serializer's own format), so the timeline quotes the stream.</summary>
    private static string Time(DateTimeOffset? time) => time is { } t ? JsonSerializer.Serialize(t, IncidentEvents.Json).Trim('"') : string.Empty;

    private static string Short(string? hash) => hash is { Length: > 12 } ? hash[..12] : hash ?? "(none)";

    private static string Comment(string? comment) => comment is { Length: > 0 } c ? $": \"{c}\"" : string.Empty;

    private static string Findings(IReadOnlyList<Contracts.SafetyFinding>? findings) =>
        findings is null ? string.Empty : string.Join("; ", findings.Select(f => string.Join(" ", new[] { f.Rule, f.Message }.OfType<string>())));

    private static string? MessageOf(UnknownIncidentEvent e)
    {
        try
        {
            using var data = JsonDocument.Parse(e.Data);
            return data.RootElement.ValueKind == JsonValueKind.Object && data.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                ? m.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
