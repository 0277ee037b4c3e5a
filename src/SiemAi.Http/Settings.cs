using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SiemAi.Http;

/// <summary>A setting whose value cannot be read; the message names the setting and what it accepts.</summary>
public sealed class InvalidSettingException(string setting, string message) : InvalidOperationException(message)
{
    public string Setting { get; } = setting;
}

/// <summary>
/// The one reading of boolean and numeric settings (environment variables and configuration keys) for every module,
/// so <c>SIEMAI_LAB_MODE=yes</c> means the same thing everywhere and a typo stops the start instead of silently
/// meaning "off".
/// </summary>
public static class Settings
{
    /// <summary>The accepted boolean spellings (case-insensitive, surrounding blanks ignored), for messages and docs.</summary>
    public const string BooleanSpellings = "true/false, 1/0, yes/no or on/off";

    /// <summary>Reads a boolean; anything but <see cref="BooleanSpellings"/> throws naming the setting.</summary>
    public static bool Boolean(string name, string value) =>
        value.Trim().ToLowerInvariant() switch
        {
            "true" or "1" or "yes" or "on" => true,
            "false" or "0" or "no" or "off" => false,
            _ => throw new InvalidSettingException(name, $"{name}='{value}' is not a boolean; use {BooleanSpellings} (case-insensitive)."),
        };

    /// <summary>The first of <paramref name="names"/> that is set (non-empty) read as a boolean; <paramref name="fallback"/> when none is.</summary>
    public static bool Boolean(IConfiguration configuration, bool fallback, params string[] names)
    {
        foreach (var name in names)
        {
            if (configuration[name] is { Length: > 0 } value)
            {
                return Boolean(name, value);
            }
        }

        return fallback;
    }

    /// <summary>Reads a finite number (invariant culture, e.g. <c>2.5</c>).</summary>
    public static double Number(string name, string value) =>
        double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw new InvalidSettingException(name, $"{name}='{value}' is not a number.");

    /// <summary>Reads a whole number (invariant culture, no separators).</summary>
    public static int Integer(string name, string value) =>
        int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InvalidSettingException(name, $"{name}='{value}' is not a whole number.");
}
