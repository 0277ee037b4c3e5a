namespace SiemAi.Ingestion.Formats;

/// <summary>Caps for text we derive ourselves (titles from log lines); producer-supplied fields are validated instead.</summary>
internal static class TextLimits
{
    public const int Title = 512;
    public const int Description = 16_384;

    public static string? Cap(string? value, int max) =>
        value is null ? null : value.Length <= max ? value : value[..max];

    public static string Title512(string value) => Cap(value.ReplaceLineEndings(" ").Trim(), Title)!;
}
