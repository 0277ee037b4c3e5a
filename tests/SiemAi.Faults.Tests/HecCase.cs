namespace SiemAi.Faults.Tests;

/// <summary>
/// One malformed Splunk HEC request and what must come back: the HTTP status, the problem type (slug) and
/// HEC's own <c>code</c>, which HEC clients read to decide whether to retry.
/// </summary>
public sealed record HecCase(string Name, Func<HttpRequestMessage> Request, int Status, string[] Types, int Code)
{
    public override string ToString() => Name;
}
