namespace SiemAi.Faults.Tests;

/// <summary>
/// One malformed HTTP request and what must come back: the status and the problem types (the slug after
/// <c>urn:siemai:problem:</c> for ingestion; null where the endpoint's problems carry only a title).
/// </summary>
public sealed record HttpCase(string Name, Func<HttpRequestMessage> Request, int Status, string[]? Types = null, string? TitleContains = null)
{
    public override string ToString() => Name;
}
