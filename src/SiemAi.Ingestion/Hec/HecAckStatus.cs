namespace SiemAi.Ingestion.Hec;

/// <summary>HEC's answer to <c>/services/collector/ack</c>: <c>{"acks":{"0":true,"1":false}}</c>.</summary>
public sealed record HecAckStatus(IReadOnlyDictionary<string, bool> Acks);
