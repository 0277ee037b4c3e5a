using System.Text.Json;
using Npgsql;
using SiemAi.EventStore;
using SiemAi.Testing;

namespace SiemAi.Audit.Tests;

/// <summary>
/// A scratch event store holding two incidents written the way the saga writes them: one that went
/// all the way through dual-control approval and a successful check run, and one the safety gate blocked.
/// </summary>
public sealed class RecordedIncidents : IAsyncLifetime
{
    public const string PlaybookHash = "3f1c0a4b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";
    public const string BlockedHash = "aa00bb11cc22dd33ee44ff5566778899aabbccddeeff00112233445566778899";

    public ScratchDatabase Database { get; private set; } = null!;
    public Guid Approved { get; } = Guid.NewGuid();
    public Guid Blocked { get; } = Guid.NewGuid();
    public Guid RunId { get; } = Guid.NewGuid();

    /// <summary>The approved incident's events as stored, to pick times and versions from.</summary>
    public IReadOnlyList<RecordedEvent> ApprovedEvents { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Database = await ScratchDatabase.CreateAsync("audit");
        await using (var owner = NpgsqlDataSource.Create(Database.OwnerConnectionString))
        {
            await new SchemaMigrator(owner, ServiceSettings.Require("DB_USER")).MigrateAsync(EventStoreSchema.Migrations);
        }

        await using var app = NpgsqlDataSource.Create(Database.AppConnectionString);
        var store = new PostgresEventStore(app);
        var stream = $"incident-{Approved:D}";

        // One append per transition, as the saga does, so each gets its own recorded_at.
        await Append(store, stream, Approved, "alert_received", "source:lab", null, new { alert_id = Guid.NewGuid(), alert_count = 1, source_system = "lab", format = "generic", rule_id = "5712", title = "SSH brute force", severity = "high", asset = "lab-target", source_ip = "203.0.113.7" });
        await Append(store, stream, Approved, "playbook_generated", "service:generator:template", PlaybookHash, new { title = "Block 203.0.113.7", attempt = 1, declared_risk = "medium", playbook_yaml = "- hosts: lab-target\n" });
        await Append(store, stream, Approved, "playbook_verified", "service:safety", PlaybookHash, new { verdict = "warn", risk = "medium", findings = new[] { new { rule = "shell-command", message = "uses shell" } } });
        await Append(store, stream, Approved, "approval_requested", "service:saga", PlaybookHash, new { required = 2, dual_control = true, needs_cab = false, deadline = DateTimeOffset.UtcNow.AddHours(1) });
        await Append(store, stream, Approved, "playbook_approved", "approver:alice", PlaybookHash, new { approver = "alice", comment = "looks right", approvals = 1, required = 2, complete = false, for_apply = false });
        await Append(store, stream, Approved, "playbook_approved", "approver:bob", PlaybookHash, new { approver = "bob", comment = (string?)null, approvals = 2, required = 2, complete = true, for_apply = false });
        await Append(store, stream, Approved, "check_run_started", "service:saga", PlaybookHash, new { run_id = RunId, attempt = 1, approvers = new[] { "alice", "bob" } });
        await Append(store, stream, Approved, "check_run_completed", "service:runner", PlaybookHash, new { run_id = RunId, succeeded = true, exit_code = 0, hosts = Array.Empty<object>(), duration_seconds = 3.5 });
        await Append(store, stream, Approved, "incident_closed", "service:saga", PlaybookHash, new { outcome = "check_succeeded" });

        var blocked = $"incident-{Blocked:D}";
        await Append(store, blocked, Blocked, "alert_received", "source:wazuh", null, new { alert_count = 1, source_system = "wazuh", title = "Disk wipe", severity = "critical", asset = "db-1" });
        await Append(store, blocked, Blocked, "playbook_generated", "service:generator:template", BlockedHash, new { title = "Wipe", attempt = 1 });
        await Append(store, blocked, Blocked, "playbook_rejected", "service:safety", BlockedHash, new { verdict = "block", risk = "critical", findings = new[] { new { rule = "destructive-command", message = "rm -rf /" } } });
        await Append(store, blocked, Blocked, "incident_closed", "service:saga", BlockedHash, new { outcome = "blocked", reason = "the safety gate blocked the playbook" });

        var events = new List<RecordedEvent>();
        await foreach (var e in store.ReadStreamAsync(stream))
        {
            events.Add(e);
        }

        ApprovedEvents = events;
    }

    public Task DisposeAsync() => Database.DisposeAsync().AsTask();

    private static async Task Append(PostgresEventStore store, string stream, Guid incident, string type, string actor, string? hash, object data)
    {
        var metadata = new EventMetadata { Actor = actor, CorrelationId = incident, CausationId = Guid.NewGuid(), MessageId = Guid.NewGuid(), PlaybookSha256 = hash };
        await store.AppendAsync(stream, ExpectedVersion.Any, [new EventData(Guid.NewGuid(), type, JsonSerializer.Serialize(data), metadata)]);

        // recorded_at has microsecond resolution; a short pause keeps every event's time distinct for --at.
        await Task.Delay(5);
    }
}
