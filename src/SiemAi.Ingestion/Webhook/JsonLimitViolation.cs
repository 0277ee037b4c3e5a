namespace SiemAi.Ingestion.Webhook;

internal enum JsonLimitKind
{
    Syntax,
    TooDeep,
    TooManyProperties,
}

internal sealed record JsonLimitViolation(JsonLimitKind Kind, string Field, string Detail);
