using System.Text.Json;
using SiemAi.Contracts;
using SiemAi.EventStore;
using SiemAi.Incidents.Model;
using SiemAi.Incidents.Model.Events;
using PlaybookVerified = SiemAi.Incidents.Model.Events.PlaybookVerified;

namespace SiemAi.Incidents.Tests;

public sealed class When_the_model_reads_and_writes_events
{
    [Fact]
    public void Every_registered_name_maps_to_one_event_type_and_back()
    {
        var types = IncidentEvents.Names.Select(n => IncidentEvents.TypeOf(n)!).ToList();
        Assert.Equal(22, types.Count);
        Assert.Equal(types.Count, types.Distinct().Count());
        var modelTypes = typeof(IIncidentEvent).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(IIncidentEvent).IsAssignableFrom(t) && t != typeof(UnknownIncidentEvent));
        Assert.Equal(modelTypes.OrderBy(t => t.Name), types.OrderBy(t => t.Name));
    }

    [Fact]
    public void An_unknown_type_is_surfaced_with_its_data_not_dropped()
    {
        var read = IncidentEvents.Deserialize("playbook_signed", """{"by":"hsm-1"}""");

        var unknown = Assert.IsType<UnknownIncidentEvent>(read);
        Assert.Equal("playbook_signed", IncidentEvents.NameOf(unknown));
        Assert.Equal("""{"by":"hsm-1"}""", IncidentEvents.Serialize(unknown));
        Assert.Null(unknown.Error);
    }

    [Fact]
    public void Unreadable_data_of_a_known_type_is_surfaced_with_the_reason()
    {
        var read = IncidentEvents.Deserialize("playbook_approved", """{"approver":"alice","complete":"maybe"}""");

        var unknown = Assert.IsType<UnknownIncidentEvent>(read);
        Assert.Equal("playbook_approved", unknown.Type);
        Assert.NotNull(unknown.Error);
    }

    [Fact]
    public void An_older_closure_without_a_reason_still_folds_to_its_status()
    {
        var view = Fold(
            ("alert_received", """{"alert_id":"8c7b8b1c-3a55-4a57-9b5e-6c1f7a3f1a11","alert_count":1,"source_system":"wazuh","format":"wazuh","title":"SSH brute force","severity":"high","fingerprint":"fp","observed_at":"2026-01-01T00:00:00+00:00","raw_payload":"{}"}""", null),
            ("playbook_generated", """{"title":"Block","attempt":1,"declared_risk":"medium","playbook_yaml":"- hosts: web-01\n"}""", "ab"),
            ("playbook_verified", """{"verdict":"pass","risk":"low","findings":[]}""", "ab"),
            ("approval_requested", """{"required":1,"dual_control":false,"needs_cab":false,"deadline":"2026-01-01T01:00:00+00:00"}""", "ab"),
            ("playbook_approved", """{"approver":"alice","comment":null,"approvals":1,"required":1,"complete":true,"for_apply":false}""", "ab"),
            ("check_run_started", """{"run_id":"0b7e2f4c-1d2a-4b7e-8a3b-2c4d5e6f7a8b","attempt":1,"approvers":["alice"]}""", "ab"),
            ("check_run_completed", """{"run_id":"0b7e2f4c-1d2a-4b7e-8a3b-2c4d5e6f7a8b","succeeded":true,"exit_code":0,"hosts":[],"duration_seconds":1.5}""", "ab"),
            ("incident_closed", """{"outcome":"check_succeeded"}""", "ab"),
            ("playbook_signed", """{"by":"hsm-1"}""", "ab"));

        Assert.Equal(IncidentStatus.CheckSucceeded, view.Status);
        Assert.Equal(IncidentOutcome.CheckSucceeded, view.Outcome);
        Assert.Null(view.ClosedReason);
        Assert.Equal(9, view.Version);
        Assert.Equal(Severity.High, view.Severity);
        Assert.Equal("ab", view.PlaybookSha256);
        Assert.Equal(["alice"], view.ApproversFor(forApply: false));
        var run = Assert.Single(view.Runs);
        Assert.Equal(("succeeded", 0, 1.5), (run.Result, run.ExitCode, run.DurationSeconds));
    }

    [Fact]
    public void A_finding_written_without_the_fields_now_required_is_still_read()
    {
        var read = IncidentEvents.Deserialize("playbook_verified", """{"verdict":"warn","risk":"medium","findings":[{"rule":"shell-command","message":"uses shell"}]}""");

        var verified = Assert.IsType<PlaybookVerified>(read);
        Assert.Equal(SafetyVerdict.Warn, verified.Verdict);
        Assert.Equal("shell-command", Assert.Single(verified.Findings).Rule);
    }

    [Fact]
    public void The_saga_states_are_exactly_the_model_statuses()
    {
        var machine = new IncidentStateMachine(Microsoft.Extensions.Options.Options.Create(new IncidentOptions()));
        var states = machine.States.Select(s => s.Name).Where(n => n != "Final").Order();

        Assert.Equal(Enum.GetNames<IncidentStatus>().Where(n => n != nameof(IncidentStatus.None)).Order(), states);
    }

    [Theory]
    [InlineData("service:generator:llm:gpt", "Service approver")]
    [InlineData("api-key:siem-east", "Self-approval")]
    [InlineData("dave", "Editor approval")]
    [InlineData("alice", "Already approved")]
    public void The_one_approval_policy_refuses_with_the_reason(string approver, string title)
    {
        var saga = new IncidentState { PlaybookSha256 = new string('a', 64), RaisedBy = "api-key:siem-east", Editors = ["dave"] };
        saga.Approvals.Add(new ApprovalEntry("alice", DateTimeOffset.UtcNow, null, ForApply: false));

        var refusal = ApprovalPolicy.Refusal(saga, approver, ApprovalDecision.Approve, new string('a', 64), forApply: false);

        Assert.Equal(title, refusal?.Title);
        Assert.Null(ApprovalPolicy.Refusal(saga, "erin", ApprovalDecision.Approve, new string('a', 64), forApply: false));
        Assert.Same(ApprovalRefusal.OtherPlaybook, ApprovalPolicy.Refusal(saga, "erin", ApprovalDecision.Approve, new string('b', 64), forApply: false));
    }

    private static IncidentView Fold(params (string Type, string Data, string? Hash)[] events) =>
        IncidentProjection.Fold(IncidentStream.Id(Guid.NewGuid()), events.Select((e, i) => new RecordedEvent(
            i + 1, Guid.NewGuid(), "s", i + 1, e.Type, e.Data,
            JsonSerializer.Serialize(new EventMetadata { Actor = "service:saga", PlaybookSha256 = e.Hash }),
            DateTimeOffset.UtcNow, null, [])));
}
