namespace SiemAi.Generation.Templates;

/// <summary>How well a template fits an alert (0..1) and which signals said so.</summary>
public sealed record TemplateScore(PlaybookTemplate Template, double Score, IReadOnlyList<string> Signals);
