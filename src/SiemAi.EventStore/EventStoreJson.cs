using System.Text.Encodings.Web;
using System.Text.Json;

namespace SiemAi.EventStore;

/// <summary>The JSON settings for what the store writes itself (metadata).</summary>
public static class EventStoreJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
