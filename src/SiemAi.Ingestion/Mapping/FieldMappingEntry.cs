namespace SiemAi.Ingestion.Mapping;

/// <summary>One line of a field mapping: the normalized field and where in the body its value is.</summary>
public sealed record FieldMappingEntry(string Target, JsonPointer Pointer);
