using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using SiemAi.Contracts;
using SiemAi.Incidents.Audit;
using SiemAi.Incidents.Model;
using SiemAi.Incidents.Persistence;
using SiemAi.Incidents.Timers;

namespace SiemAi.Incidents.Tests;

/// <summary>
/// Golden streams: the events each main path writes (type, actor, playbook hash, data as the event store
/// stores it) compared byte for byte with streams recorded from the release before the typed model, so
/// existing hash chains still verify and old databases replay. Only values that differ per run (ids and
/// clock times) are masked. Set SIEMAI_RECORD_GOLDEN=1 to record a fixture that does not exist yet; an
/// existing fixture is never overwritten by a run.
/// Deliberate changes since the recording (one typed record per stored name has one field order):
/// <list type="bullet">
/// <item><c>incident_closed</c> with outcome <c>check_succeeded</c> now carries <c>"reason":null</c> like every other closure;</item>
/// <item><c>decision_rejected</c> while waiting for the CAB writes <c>approver</c> before <c>reason</c>, like every other refusal.</item>
/// </list>
/// Readers accept both forms (events already stored keep their bytes and hashes).
/// </summary>
public sealed partial class When_events_are_written
{
    public static TheoryData<string> Paths => [.. Scenarios.Keys];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task The_stream_is_byte_identical_to_the_recorded_one(string path)
    {
        await using var spec = await Scenarios[path]();
        spec.AssertNoFaults();

        var written = Render(spec.State.PendingEvents);
        var fixture = FixturePath(path);
        if (!File.Exists(fixture))
        {
            if (Environment.GetEnvironmentVariable("SIEMAI_RECORD_GOLDEN") != "1")
            {
                Assert.Fail($"no golden stream {fixture}; record it with SIEMAI_RECORD_GOLDEN=1 from the release whose format it pins");
            }

            await File.WriteAllTextAsync(fixture, written);
        }

        Assert.Equal(await File.ReadAllTextAsync(fixture), written);
    }

    /// <summary>One line per event: type, actor, metadata hash, data JSON (ids and times masked).</summary>
    private static string Render(IEnumerable<AuditRecord> events)
    {
        var text = new StringBuilder();
        foreach (var e in events)
        {
            text.Append(e.Type).Append('\t').Append(e.Actor).Append('\t').Append(e.PlaybookSha256 ?? "-").Append('\t')
                .Append(Mask(StoredData(e))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The data exactly as <see cref="IncidentSagaWriter"/> hands it to the event store.</summary>
    private static string StoredData(AuditRecord e) => IncidentEvents.Serialize(e.Event);

    private static string Mask(string json) => Time().Replace(Guid().Replace(json, "<guid>"), "<time>");

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")]
    private static partial Regex Time();

    private static string FixturePath(string path, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Golden", path + ".txt");

    private static readonly Dictionary<string, Func<Task<IncidentSpec>>> Scenarios = new()
    {
        ["happy_path_single_control"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
            await spec.ReachCheckSucceeded();
            return spec;
        },
        ["dual_control"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
            await spec.ReachAwaitingApproval(verdict: SafetyVerdict.Warn);
            await spec.Decide("alice", comment: "looks right");
            await spec.Decide("alice");
            await spec.Decide("bob");
            await spec.Deliver(spec.RunResult(succeeded: true));
            return spec;
        },
        ["cab_approved"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
            await spec.ReachAwaitingApproval(RiskLevel.High);
            await spec.Decide("alice");
            await spec.Decide("bob");
            await spec.Decide("carol");
            await spec.Deliver(spec.Cab(CabDecision.Approved, sha256: PlaybookHash.Of("- hosts: all\n")));
            await spec.Deliver(spec.Cab(CabDecision.Approved));
            await spec.Deliver(spec.RunResult(succeeded: false));
            return spec;
        },
        ["cab_rejected"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
            await spec.ReachAwaitingApproval(RiskLevel.Critical);
            await spec.Decide("alice");
            await spec.Deliver(spec.Cab(CabDecision.Rejected));
            return spec;
        },
        ["regeneration"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => { o.DualControlEnabled = false; o.MaxRegenerations = 1; });
            await spec.ReachAwaitingApproval();
            await spec.Decide("alice", ApprovalDecision.Regenerate, comment: "narrow it to web-01");
            await spec.Generate();
            await spec.Verify(SafetyVerdict.Pass);
            await spec.Decide("alice");
            await spec.Decide("bob", ApprovalDecision.Regenerate, comment: "again");
            await spec.Decide("bob");
            return spec;
        },
        ["blocked"] = async () =>
        {
            var spec = await IncidentSpec.Start();
            await spec.RaiseAlert();
            await spec.Deliver(spec.Verdict(SafetyVerdict.Pass, sha256: PlaybookHash.Of("- hosts: all\n")));
            await spec.Generate();
            await spec.Verify(SafetyVerdict.Block, RiskLevel.Critical);
            return spec;
        },
        ["expired"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
            await spec.ReachAwaitingApproval();
            await spec.Decide("alice");
            await spec.RaiseAlert();
            await spec.FireTimer(TimerKinds.ApprovalExpiry);
            await spec.Decide("bob");
            return spec;
        },
        ["denied"] = async () =>
        {
            var spec = await IncidentSpec.Start();
            await spec.ReachAwaitingApproval();
            await spec.Decide(IncidentSpec.Raiser);
            await spec.Decide("service:generator");
            await spec.Decide("alice", sha256: PlaybookHash.Of("- hosts: all\n"));
            await spec.Decide("alice", forApply: true);
            await spec.Decide("alice", ApprovalDecision.Deny, comment: "not on a production host");
            return spec;
        },
        ["generation_failed"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => o.MaxGenerationAttempts = 2);
            await spec.RaiseAlert();
            await spec.Deliver(new PlaybookGenerationFailed { IncidentId = spec.IncidentId, Timestamp = DateTimeOffset.UtcNow, Reason = "the model endpoint answered 503", Attempt = 1, Retryable = true });
            await spec.Deliver(spec.Generated(attempt: 7));
            await spec.FireTimer(TimerKinds.RetryGeneration);
            await spec.FireTimer(TimerKinds.GenerationTimeout);
            return spec;
        },
        ["verification_timed_out"] = async () =>
        {
            var spec = await IncidentSpec.Start();
            await spec.RaiseAlert();
            await spec.Generate();
            await spec.FireTimer(TimerKinds.VerificationTimeout);
            return spec;
        },
        ["run_failed_then_retried"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => { o.DualControlEnabled = false; o.MaxRunAttempts = 2; });
            await spec.ReachCheckRunning();
            await spec.Deliver(spec.RunFailure("ansible-playbook exited with 250", retryable: true));
            await spec.FireTimer(TimerKinds.RetryRun);
            await spec.Deliver(spec.RunResult(succeeded: true, runId: System.Guid.NewGuid()));
            await spec.Deliver(spec.RunFailure("ansible-playbook exited with 250", retryable: true));
            return spec;
        },
        ["run_refused"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
            await spec.ReachCheckRunning();
            await spec.Deliver(spec.RunFailure("no completed approval", refused: true));
            return spec;
        },
        ["run_timed_out"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
            await spec.ReachCheckRunning();
            await spec.FireTimer(TimerKinds.RunTimeout);
            return spec;
        },
        ["applied"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => o.DualControlEnabled = true);
            await spec.ReachCheckSucceeded();
            await spec.Decide("carol");
            await spec.Decide("carol", forApply: true);
            await spec.Decide("carol", forApply: true);
            await spec.Decide("erin", ApprovalDecision.Deny, forApply: true);
            await spec.Decide("erin", forApply: true);
            await spec.Deliver(spec.RunResult(succeeded: true, RunMode.Apply));
            return spec;
        },
        ["apply_failed"] = async () =>
        {
            var spec = await IncidentSpec.Start(o => o.DualControlEnabled = false);
            await spec.ReachCheckSucceeded();
            await spec.Decide("carol", forApply: true);
            await spec.Deliver(spec.RunResult(succeeded: false, RunMode.Apply));
            return spec;
        },
    };
}
