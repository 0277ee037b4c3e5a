namespace SiemAi.Ingestion.Formats;

/// <summary>
/// The payload cannot become an alert. <see cref="Field"/> names the offending field (a JSON path such as
/// <c>alerts[2].labels</c>, a CEF header position, or <c>body</c>) so the problem details can point at it;
/// <see cref="Slug"/> is the problem type (<c>invalid-payload</c>, or <c>ambiguous-field</c> when two spellings disagree).
/// </summary>
public sealed class PayloadRejectedException : Exception
{
    public const string InvalidPayload = "invalid-payload";
    public const string AmbiguousField = "ambiguous-field";

    public PayloadRejectedException(string field, string message)
        : base(message) => Field = field;

    public PayloadRejectedException(string field, string message, string slug)
        : base(message)
    {
        Field = field;
        Slug = slug;
    }

    public PayloadRejectedException()
    {
        Field = "body";
    }

    public PayloadRejectedException(string message)
        : base(message) => Field = "body";

    public PayloadRejectedException(string message, Exception innerException)
        : base(message, innerException) => Field = "body";

    public string Field { get; }

    public string Slug { get; } = InvalidPayload;
}
