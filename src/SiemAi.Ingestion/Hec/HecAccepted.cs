namespace SiemAi.Ingestion.Hec;

/// <summary>
/// HEC's success answer, <c>{"text":"Success","code":0}</c>, with <c>ackId</c> when the request named a channel,
/// and the alerts as the webhook lists them (HEC clients ignore members they do not know).
/// </summary>
public sealed record HecAccepted(string Text, int Code, long? AckId, IReadOnlyList<AcceptedAlert> Accepted);
