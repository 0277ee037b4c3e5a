namespace SiemAi.Faults.Tests;

/// <summary>One webhook request of an outage run: which alert, what came back, and when it was sent and answered.</summary>
/// <param name="Status">The HTTP status; 0 when no answer came (connection refused or timed out).</param>
public sealed record OutageWebhookAnswer(int Alert, int Status, string? ContentType, string Body, DateTimeOffset SentAt, DateTimeOffset AnsweredAt)
{
    public bool Accepted => Status == 202;

    /// <summary>True when the request went out after <paramref name="from"/> and its answer came before <paramref name="until"/>.</summary>
    public bool Within(DateTimeOffset from, DateTimeOffset until) => SentAt >= from && AnsweredAt <= until;

    public override string ToString() => $"alert #{Alert}: {Status} {ContentType} {Body[..Math.Min(Body.Length, 300)]}";
}
