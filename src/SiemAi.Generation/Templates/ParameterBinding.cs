namespace SiemAi.Generation.Templates;

/// <summary>The validated values of a template's parameters for one alert, or why the alert does not fit.</summary>
public sealed record ParameterBinding(IReadOnlyDictionary<string, string> Values, string? Problem)
{
    public bool Succeeded => Problem is null;
}
