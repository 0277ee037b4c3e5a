using System.Text.Json;
using SiemAi.EventStore;

namespace SiemAi.Audit;

/// <summary>
/// Folds an incident's stream into its state, event by event, the way the saga would have left it:
/// the auditor's answer to "what did the system know and decide at version N?" without trusting
/// any table the application can write.
/// </summary>
public static class IncidentReplay
{
    public const string StreamPrefix = "incident-";

    /// <summary>Accepts a bare incident GUID or its stream id.</summary>
    public static bool TryParseStreamId(string incident, out string streamId)
    {
        var raw = incident.StartsWith(StreamPrefix, StringComparison.OrdinalIgnoreCase) ? incident[StreamPrefix.Length..] : incident;
        if (Guid.TryParse(raw, out var id))
        {
            streamId = StreamPrefix + id.ToString("D");
            return true;
        }

        streamId = string.Empty;
        return false;
    }

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
        var state = new Fold(streamId);
        foreach (var e in events.OrderBy(e => e.Version))
        {
            state.Apply(e);
        }

        return state.Result();
    }

    private sealed class Fold(string streamId)
    {
        private readonly List<ReplayedApproval> approvals = [];
        private readonly List<ReplayedRun> runs = [];
        private readonly List<TimelineEntry> timeline = [];
        private string status = "None";
        private long version;
        private DateTimeOffset? asOf;
        private string? title;
        private string? severity;
        private string? asset;
        private int alertCount;
        private string? playbookSha256;
        private string? playbookTitle;
        private int regenerations;
        private string? verdict;
        private string? risk;
        private int required;
        private string? cab;
        private string? outcome;
        private string? closedReason;

        public void Apply(RecordedEvent e)
        {
            using var dataDoc = JsonDocument.Parse(e.Data);
            using var metaDoc = JsonDocument.Parse(e.Metadata);
            var data = dataDoc.RootElement;
            var meta = metaDoc.RootElement;
            var actor = Str(meta, "actor") ?? "unknown";
            var eventHash = Str(meta, "playbook_sha256");
            version = e.Version;
            asOf = e.RecordedAt;
            var summary = Apply(e, data, eventHash);
            timeline.Add(new TimelineEntry(e.Version, e.RecordedAt, e.Type, actor, status, summary));
        }

        private string Apply(RecordedEvent e, JsonElement data, string? eventHash)
        {
            switch (e.Type)
            {
                case "alert_received":
                    alertCount = Int(data, "alert_count") ?? alertCount + 1;
                    if (status == "None")
                    {
                        // The saga records the alert and asks for a playbook in the same transition.
                        title = Str(data, "title");
                        severity = Str(data, "severity");
                        asset = Str(data, "asset");
                        status = "Generating";
                    }

                    return $"alert #{alertCount} from {Str(data, "source_system")}: {Str(data, "title")} ({Str(data, "severity")})";

                case "playbook_generated":
                    playbookSha256 = eventHash ?? playbookSha256;
                    playbookTitle = Str(data, "title");
                    verdict = null;
                    risk = null;
                    status = "Verifying";
                    return $"playbook {Short(playbookSha256)} \"{playbookTitle}\" (attempt {Int(data, "attempt")})";

                case "playbook_generation_failed":
                    return $"generation failed (attempt {Int(data, "attempt")}): {Str(data, "reason")}";

                case "playbook_rejected":
                    verdict = Str(data, "verdict") ?? "block";
                    risk = Str(data, "risk");
                    status = "Blocked";
                    return $"safety gate blocked {Short(eventHash)}: {Findings(data)}";

                case "playbook_verified":
                    verdict = Str(data, "verdict");
                    risk = Str(data, "risk");
                    approvals.RemoveAll(a => !a.ForApply);
                    return $"safety verdict {verdict}, risk {risk}{(Findings(data) is { Length: > 0 } f ? ": " + f : string.Empty)}";

                case "approval_requested":
                    required = Int(data, "required") ?? required;
                    status = "AwaitingApproval";
                    return $"{required} approval(s) required{(Bool(data, "needs_cab") == true ? " and a CAB decision" : string.Empty)}, deadline {Str(data, "deadline")}";

                case "playbook_approved":
                {
                    var forApply = Bool(data, "for_apply") == true;
                    var approver = Str(data, "approver") ?? "?";
                    approvals.Add(new ReplayedApproval(approver, e.RecordedAt, Str(data, "comment"), forApply, eventHash));
                    required = Int(data, "required") ?? required;
                    if (Bool(data, "complete") == true)
                    {
                        status = "Approved";
                    }

                    return $"approved{(forApply ? " for apply" : string.Empty)} by {approver} ({Int(data, "approvals")}/{Int(data, "required")})";
                }

                case "approval_denied":
                    status = "Denied";
                    return $"denied by {Str(data, "approver")}{Comment(data)}";

                case "regeneration_requested":
                    approvals.Clear();
                    regenerations = Int(data, "regeneration") ?? regenerations + 1;
                    status = "Generating";
                    return $"regeneration #{regenerations} requested by {Str(data, "approver")}{Comment(data)}";

                case "decision_rejected":
                    return $"decision by {Str(data, "approver") ?? "?"} refused: {Str(data, "reason")}";

                case "cab_requested":
                    status = "AwaitingCab";
                    return $"change-advisory board review requested (risk {Str(data, "risk")})";

                case "cab_decided":
                    cab = Str(data, "decision");
                    status = cab == "approved" ? "Approved" : "Denied";
                    return $"CAB {cab} change {Str(data, "change_request_id")} by {Str(data, "decided_by")}";

                case "check_run_started":
                case "apply_run_started":
                {
                    var mode = e.Type.StartsWith("check", StringComparison.Ordinal) ? "check" : "apply";
                    var run = new ReplayedRun
                    {
                        RunId = Str(data, "run_id") ?? string.Empty,
                        Mode = mode,
                        Attempt = Int(data, "attempt") ?? 1,
                        Approvers = Strings(data, "approvers"),
                        StartedAt = e.RecordedAt,
                    };
                    runs.Add(run);
                    status = mode == "check" ? "CheckRunning" : "ApplyRunning";
                    return $"{mode} run {run.RunId} started (attempt {run.Attempt})";
                }

                case "check_run_completed":
                case "apply_run_completed":
                {
                    var mode = e.Type.StartsWith("check", StringComparison.Ordinal) ? "check" : "apply";
                    var succeeded = Bool(data, "succeeded") == true;
                    UpdateRun(Str(data, "run_id"), run => run with
                    {
                        Result = succeeded ? "succeeded" : "failed",
                        Succeeded = succeeded,
                        ExitCode = Int(data, "exit_code"),
                        DurationSeconds = Double(data, "duration_seconds"),
                    });
                    status = (mode, succeeded) switch
                    {
                        ("check", true) => "CheckSucceeded",
                        ("check", false) => "CheckFailed",
                        (_, true) => "Applied",
                        _ => "ApplyFailed",
                    };
                    return $"{mode} run {Str(data, "run_id")} {(succeeded ? "succeeded" : "failed")}, exit code {Int(data, "exit_code")}";
                }

                case "run_failed":
                    UpdateRun(Str(data, "run_id"), run => run with { Result = "failed", Succeeded = false, Reason = Str(data, "reason") });
                    return $"run {Str(data, "run_id")} failed (attempt {Int(data, "attempt")}): {Str(data, "reason")}";

                case "run_refused":
                    UpdateRun(Str(data, "run_id"), run => run with { Result = "refused", Succeeded = false, Reason = Str(data, "reason") });
                    status = "Failed";
                    return $"runner refused run {Str(data, "run_id")}: {Str(data, "reason")}";

                case "approval_expired":
                    status = "Expired";
                    return $"no decision before {Str(data, "deadline")} ({Int(data, "approvals")}/{Int(data, "required")} approvals)";

                case "incident_closed":
                    outcome = Str(data, "outcome");
                    closedReason = Str(data, "reason");
                    status = StatusOf(outcome) ?? status;
                    return $"closed: {outcome}{(closedReason is null ? string.Empty : " — " + closedReason)}";

                default:
                    // Bookkeeping events (stale or unexpected messages) change nothing; they stay on the timeline.
                    return Str(data, "message") is { } message ? $"{message} ignored" : e.Type;
            }
        }

        public ReplayedIncident Result() => new()
        {
            IncidentId = Guid.TryParse(streamId.StartsWith(StreamPrefix, StringComparison.Ordinal) ? streamId[StreamPrefix.Length..] : streamId, out var id) ? id : null,
            StreamId = streamId,
            Version = version,
            AsOf = asOf,
            Status = status,
            Title = title,
            Severity = severity,
            Asset = asset,
            AlertCount = alertCount,
            PlaybookSha256 = playbookSha256,
            PlaybookTitle = playbookTitle,
            Regenerations = regenerations,
            Verdict = verdict,
            Risk = risk,
            RequiredApprovals = required,
            Approvals = [.. approvals],
            CabDecision = cab,
            Runs = [.. runs],
            Outcome = outcome,
            ClosedReason = closedReason,
            Timeline = [.. timeline],
        };

        private void UpdateRun(string? runId, Func<ReplayedRun, ReplayedRun> change)
        {
            var i = runs.FindLastIndex(r => r.RunId == runId);
            if (i >= 0)
            {
                runs[i] = change(runs[i]);
            }
        }

        private static string? StatusOf(string? outcome) => outcome switch
        {
            "check_succeeded" => "CheckSucceeded",
            "check_failed" => "CheckFailed",
            "applied" => "Applied",
            "apply_failed" => "ApplyFailed",
            "blocked" => "Blocked",
            "denied" => "Denied",
            "expired" => "Expired",
            "failed" => "Failed",
            _ => null,
        };

        private static string Short(string? hash) => hash is { Length: > 12 } ? hash[..12] : hash ?? "(none)";

        private static string Comment(JsonElement data) => Str(data, "comment") is { Length: > 0 } c ? $": \"{c}\"" : string.Empty;

        private static string Findings(JsonElement data) =>
            data.TryGetProperty("findings", out var findings) && findings.ValueKind == JsonValueKind.Array
                ? string.Join("; ", findings.EnumerateArray().Select(f =>
                    f.ValueKind == JsonValueKind.Object
                        ? string.Join(" ", new[] { Str(f, "rule"), Str(f, "message") }.OfType<string>())
                        : f.ToString()))
                : string.Empty;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => v.GetRawText(),
            }
            : null;

    private static int? Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private static double? Double(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static List<string> Strings(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText())]
            : [];
}
