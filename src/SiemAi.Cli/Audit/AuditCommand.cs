using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SiemAi.Audit;
using SiemAi.EventStore;

namespace SiemAi.Cli.Audit;

/// <summary>
/// <c>siemai audit verify [--stream ID] [--json]</c> recomputes hash chains (exit 1 when any stream is broken);
/// <c>siemai audit digest [--as-of SEQ] [--json]</c> prints one hash over every stream head, to keep outside the database.
/// <c>siemai audit replay INCIDENT [--version N | --at TIME] [--json]</c> rebuilds an incident from its stream alone;
/// <c>siemai audit export [--since T] [--until T] [--type T]</c> writes JSON lines, one per event.
/// Progress goes to stderr, results to stdout.
/// </summary>
public static class AuditCommand
{
    private static readonly JsonSerializerOptions Json = IncidentReplay.Json;

    public static Command Create()
    {
        var audit = new Command("audit", "Audit trail: verify hash chains, digest, replay, export.");
        audit.Subcommands.Add(Verify());
        audit.Subcommands.Add(Digest());
        audit.Subcommands.Add(Replay());
        audit.Subcommands.Add(Export());
        return audit;
    }

    private static Command Verify()
    {
        var stream = new Option<string?>("--stream") { Description = "Verify one stream (e.g. incident-<id>) instead of all." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var verify = new Command("verify", "Recompute every hash chain and report broken streams (exit 1 when any).");
        verify.Options.Add(stream);
        verify.Options.Add(json);
        verify.SetAction(async (parseResult, ct) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            await using var dataSource = CliDatabase.App();
            var report = await new EventStoreVerifier(dataSource).VerifyAsync(parseResult.GetValue(stream), Progress(error), ct);
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(AuditReports.Verification(report), Json));
            }
            else
            {
                foreach (var fault in report.Faults)
                {
                    await output.WriteLineAsync($"BROKEN {fault.StreamId} at version {fault.Version}: {fault.Reason}");
                }

                await output.WriteLineAsync($"{(report.Intact ? "OK" : "TAMPERED")}: {report.StreamsChecked} stream(s), {report.EventsChecked} event(s) checked, {report.Faults.Count} broken.");
            }

            return report.Intact ? CliExit.Ok : CliExit.Finding;
        });
        return verify;
    }

    private static Command Digest()
    {
        var asOf = new Option<long?>("--as-of") { Description = "Global sequence to digest up to (default: the newest event)." };
        var json = new Option<bool>("--json") { Description = "Print the digest as JSON." };
        var digest = new Command("digest", "One SHA-256 over every stream's recomputed head, to keep outside the database.");
        digest.Options.Add(asOf);
        digest.Options.Add(json);
        digest.SetAction(async (parseResult, ct) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            await using var dataSource = CliDatabase.App();
            var result = await new EventStoreVerifier(dataSource).DigestAsync(parseResult.GetValue(asOf), Progress(parseResult.InvocationConfiguration.Error), ct);
            await output.WriteLineAsync(parseResult.GetValue(json)
                ? JsonSerializer.Serialize(AuditReports.Digest(result), Json)
                : $"{result.Digest}  as-of-sequence={result.AsOfSequence} streams={result.Streams} events={result.Events}");
            return CliExit.Ok;
        });
        return digest;
    }

    private static Command Replay()
    {
        var incident = new Argument<string>("incident") { Description = "The incident id (GUID) or its stream id incident-<id>." };
        var version = new Option<long?>("--version") { Description = "Replay up to this stream version (inclusive)." };
        var at = new Option<string?>("--at") { Description = "Replay the events recorded at or before this time (ISO 8601; UTC unless an offset is given)." };
        var json = new Option<bool>("--json") { Description = "Print the state and timeline as JSON." };
        var replay = new Command("replay", "Rebuild an incident's state from its events alone, as of a version or time, and print its timeline.");
        replay.Arguments.Add(incident);
        replay.Options.Add(version);
        replay.Options.Add(at);
        replay.Options.Add(json);
        replay.SetAction(async (parseResult, ct) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!IncidentReplay.TryParseStreamId(parseResult.GetValue(incident)!, out var streamId))
            {
                await error.WriteLineAsync("siemai: INCIDENT must be a GUID or incident-<GUID>.");
                return CliExit.Usage;
            }

            var upTo = parseResult.GetValue(version);
            var atText = parseResult.GetValue(at);
            if (upTo is not null && atText is not null)
            {
                await error.WriteLineAsync("siemai: give --version or --at, not both.");
                return CliExit.Usage;
            }

            if (upTo is < 1)
            {
                await error.WriteLineAsync("siemai: --version must be 1 or more.");
                return CliExit.Usage;
            }

            DateTimeOffset? asOf = null;
            if (atText is not null)
            {
                if (!TryParseTime(atText, out var parsed))
                {
                    await error.WriteLineAsync($"siemai: --at '{atText}' is not an ISO 8601 time.");
                    return CliExit.Usage;
                }

                asOf = parsed;
            }

            await using var dataSource = CliDatabase.App();
            var state = await IncidentReplay.ReplayAsync(new PostgresEventStore(dataSource), streamId, upTo, asOf, ct);
            if (state is null)
            {
                await error.WriteLineAsync($"siemai: no events for {streamId}{(asOf is null ? string.Empty : " at or before " + asOf.Value.ToString("O", CultureInfo.InvariantCulture))}.");
                return CliExit.Finding;
            }

            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(state, Json));
            }
            else
            {
                await WriteReplayAsync(output, state);
            }

            return CliExit.Ok;
        });
        return replay;
    }

    private static Command Export()
    {
        var since = new Option<string?>("--since") { Description = "Only events recorded at or after this time (ISO 8601)." };
        var until = new Option<string?>("--until") { Description = "Only events recorded before this time (ISO 8601)." };
        var type = new Option<string?>("--type") { Description = "Only events of this type (e.g. playbook_approved)." };
        var export = new Command("export", "Write every event as one JSON line (event_type, timestamp, incident_id, actor, playbook_sha256, data).");
        export.Options.Add(since);
        export.Options.Add(until);
        export.Options.Add(type);
        export.SetAction(async (parseResult, ct) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            DateTimeOffset? from = null, to = null;
            foreach (var (option, set) in new (Option<string?> Option, Action<DateTimeOffset> Set)[] { (since, t => from = t), (until, t => to = t) })
            {
                if (parseResult.GetValue(option) is { } text)
                {
                    if (!TryParseTime(text, out var parsed))
                    {
                        await error.WriteLineAsync($"siemai: {option.Name} '{text}' is not an ISO 8601 time.");
                        return CliExit.Usage;
                    }

                    set(parsed);
                }
            }

            var eventType = parseResult.GetValue(type);
            await using var dataSource = CliDatabase.App();
            var store = new PostgresEventStore(dataSource);
            var events = from is null && to is null
                ? (eventType is null ? store.ReadAllAsync(ct: ct) : store.ReadByTypeAsync(eventType, ct: ct))
                : store.ReadByTimeAsync(from ?? DateTimeOffset.UnixEpoch, to ?? DateTimeOffset.UtcNow.AddYears(100), eventType, ct);
            var written = 0L;
            await foreach (var e in events)
            {
                await output.WriteLineAsync(AuditExport.ToJsonLine(e));
                written++;
            }

            await error.WriteLineAsync($"... {written} event(s) exported");
            return CliExit.Ok;
        });
        return export;
    }

    private static async Task WriteReplayAsync(TextWriter output, ReplayedIncident state)
    {
        await output.WriteLineAsync($"incident   {state.IncidentId} ({state.Title}, {state.Severity}, asset {state.Asset ?? "-"}, {state.AlertCount} alert(s))");
        await output.WriteLineAsync($"as of      version {state.Version}, {state.AsOf?.ToString("O", CultureInfo.InvariantCulture)}");
        await output.WriteLineAsync($"status     {state.Status}{(state.Outcome is null ? string.Empty : $" (outcome {state.Outcome}{(state.ClosedReason is null ? string.Empty : ": " + state.ClosedReason)})")}");
        await output.WriteLineAsync($"playbook   {state.PlaybookSha256 ?? "-"} {state.PlaybookTitle}");
        await output.WriteLineAsync($"verdict    {state.Verdict ?? "-"}, risk {state.Risk ?? "-"}");
        await output.WriteLineAsync($"approvals  {state.Approvals.Count(a => !a.ForApply)}/{state.RequiredApprovals}{(state.Approvals.Count == 0 ? string.Empty : ": " + string.Join(", ", state.Approvals.Select(a => a.Approver + (a.ForApply ? " (apply)" : string.Empty))))}{(state.CabDecision is null ? string.Empty : $", CAB {state.CabDecision}")}");
        foreach (var run in state.Runs)
        {
            await output.WriteLineAsync($"run        {run.Mode} {run.RunId} attempt {run.Attempt}: {run.Result}{(run.ExitCode is null ? string.Empty : $", exit code {run.ExitCode}")}{(run.Reason is null ? string.Empty : ": " + run.Reason)}");
        }

        await output.WriteLineAsync("timeline");
        foreach (var entry in state.Timeline)
        {
            await output.WriteLineAsync($"  v{entry.Version,-3} {entry.RecordedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z  {entry.EventType,-24} {entry.Actor,-28} {entry.StatusAfter,-16} {entry.Summary}");
        }
    }

    private static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static Progress<long> Progress(TextWriter error) => new(count => error.WriteLine($"... {count} events checked"));
}
