namespace SiemAi.Ingestion.Normalization;

/// <summary>What the producer said the body is: JSON (any JSON format) or text (CEF lines).</summary>
public enum BodyKind
{
    Json,
    Text,
}
