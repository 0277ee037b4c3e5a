using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SiemAi.Incidents.Model;

namespace SiemAi.Incidents.Persistence;

public static class IncidentJson
{
    /// <summary>Saga state and outbox bodies.</summary>
    public static JsonSerializerOptions State { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Audit event data and the read model's JSON columns: the model's one set of options.</summary>
    public static JsonSerializerOptions Audit => IncidentEvents.Json;
}
