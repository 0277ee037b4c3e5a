using System.Collections.Frozen;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using SiemAi.EventStore;
using SiemAi.Incidents.Model.Events;

namespace SiemAi.Incidents.Model;

/// <summary>
/// The one registry of the incident's audit events: stored name (snake_case, as operators query it) ⇄ CLR type,
/// and the one set of JSON options their data is written and read with. A stored name is a contract with every
/// database already written: never rename one, add a new type instead (the golden streams pin them).
/// </summary>
public static class IncidentEvents
{
    private static readonly (string Name, Type Type)[] Registered =
    [
        ("alert_received", typeof(AlertReceived)),
        ("playbook_generated", typeof(PlaybookGenerated)),
        ("playbook_generation_failed", typeof(PlaybookGenerationFailed)),
        ("playbook_verified", typeof(PlaybookVerified)),
        ("playbook_rejected", typeof(PlaybookRejected)),
        ("approval_requested", typeof(ApprovalRequested)),
        ("playbook_approved", typeof(PlaybookApproved)),
        ("decision_rejected", typeof(DecisionRejected)),
        ("approval_denied", typeof(ApprovalDenied)),
        ("regeneration_requested", typeof(RegenerationRequested)),
        ("cab_requested", typeof(CabRequested)),
        ("cab_decided", typeof(CabDecided)),
        ("check_run_started", typeof(CheckRunStarted)),
        ("apply_run_started", typeof(ApplyRunStarted)),
        ("check_run_completed", typeof(CheckRunCompleted)),
        ("apply_run_completed", typeof(ApplyRunCompleted)),
        ("run_failed", typeof(RunFailed)),
        ("run_refused", typeof(RunRefused)),
        ("approval_expired", typeof(ApprovalExpired)),
        ("incident_closed", typeof(IncidentClosed)),
        ("stale_message_ignored", typeof(StaleMessageIgnored)),
        ("unexpected_message_ignored", typeof(UnexpectedMessageIgnored)),
    ];

    private static readonly FrozenDictionary<string, Type> TypesByName = Registered.ToFrozenDictionary(r => r.Name, r => r.Type, StringComparer.Ordinal);
    private static readonly FrozenDictionary<Type, string> NamesByType = Registered.ToFrozenDictionary(r => r.Type, r => r.Name);

    /// <summary>Event data: snake_case keys and enum values (as operators query them with jq), nulls written.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // Events written by earlier releases may lack a field a contract type now requires (a finding without
        // its path, say): reading keeps what is there rather than refusing the whole event.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NothingRequired } },
    };

    private static void NothingRequired(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            property.IsRequired = false;
        }
    }

    /// <summary>Every stored name this release writes and reads.</summary>
    public static IReadOnlyCollection<string> Names => TypesByName.Keys;

    public static string NameOf(IIncidentEvent e) => e is UnknownIncidentEvent unknown
        ? unknown.Type
        : NamesByType.TryGetValue(e.GetType(), out var name) ? name : throw new InvalidOperationException($"{e.GetType().Name} is not registered in {nameof(IncidentEvents)}");

    public static string NameOf<T>()
        where T : IIncidentEvent => NamesByType[typeof(T)];

    public static Type? TypeOf(string name) => TypesByName.GetValueOrDefault(name);

    /// <summary>The data JSON the event store stores for <paramref name="e"/>.</summary>
    public static string Serialize(IIncidentEvent e) => e is UnknownIncidentEvent unknown ? unknown.Data : JsonSerializer.Serialize(e, e.GetType(), Json);

    /// <summary>The typed event; an unknown name or unreadable data comes back as <see cref="UnknownIncidentEvent"/>, never dropped.</summary>
    public static IIncidentEvent Deserialize(string name, string data)
    {
        if (TypeOf(name) is not { } type)
        {
            return new UnknownIncidentEvent(name, data, null);
        }

        try
        {
            return JsonSerializer.Deserialize(data, type, Json) as IIncidentEvent ?? new UnknownIncidentEvent(name, data, "the data is null");
        }
        catch (JsonException e)
        {
            return new UnknownIncidentEvent(name, data, e.Message);
        }
    }

    /// <summary>An enum value as events store it (<c>check_succeeded</c>, <c>high</c>).</summary>
    public static string ValueName<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>A stored event with its data read into its type and its metadata's actor and playbook hash.</summary>
    public static IncidentEventEnvelope Read(RecordedEvent recorded)
    {
        string actor = "unknown";
        string? hash = null;
        try
        {
            var metadata = JsonSerializer.Deserialize<EventMetadata>(recorded.Metadata);
            actor = metadata?.Actor ?? actor;
            hash = metadata?.PlaybookSha256;
        }
        catch (JsonException)
        {
            // Metadata this release cannot read leaves the actor unknown; the event itself still counts.
        }

        return new IncidentEventEnvelope(recorded.Version, recorded.RecordedAt, recorded.Type, actor, hash, Deserialize(recorded.Type, recorded.Data));
    }
}
