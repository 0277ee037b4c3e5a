using System.Globalization;
using System.Text.Json;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// Reads fields from producer JSON by dotted path. Elastic documents mix nested objects
/// (<c>{"host":{"name":..}}</c>) and flattened keys (<c>{"host.name":..}</c>), so every split of the
/// path is tried.
/// </summary>
internal static class JsonFields
{
    public static JsonElement? Find(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (element.TryGetProperty(path, out var direct))
        {
            return direct;
        }

        for (var dot = path.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = path.IndexOf('.', dot + 1))
        {
            if (element.TryGetProperty(path[..dot], out var child))
            {
                var found = Find(child, path[(dot + 1)..]);
                if (found is not null)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>A scalar as text (numbers keep their JSON spelling); null for missing, null, objects and arrays.</summary>
    public static string? Text(JsonElement element, string path) => Find(element, path) is { } e ? Scalar(e) : null;

    /// <summary>The first path that holds a non-empty scalar.</summary>
    public static string? FirstText(JsonElement element, params string[] paths)
    {
        foreach (var path in paths)
        {
            var value = Text(element, path);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return null;
    }

    public static string? Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        // A one-element array is how Elastic often stores single values (e.g. host.ip).
        JsonValueKind.Array when e.GetArrayLength() > 0 => Scalar(e[0]),
        _ => null,
    };

    /// <summary>A string or an array of strings/numbers as a list.</summary>
    public static IReadOnlyList<string> Texts(JsonElement element, string path)
    {
        if (Find(element, path) is not { } e)
        {
            return [];
        }

        if (e.ValueKind == JsonValueKind.Array)
        {
            var list = new List<string>();
            foreach (var item in e.EnumerateArray())
            {
                if (Scalar(item) is { Length: > 0 } s)
                {
                    list.Add(s.Trim());
                }
            }

            return list;
        }

        return Scalar(e) is { Length: > 0 } one ? [one.Trim()] : [];
    }

    /// <summary>Producer timestamps: ISO 8601 (also Wazuh's <c>+0000</c> offsets) or Unix seconds/milliseconds.</summary>
    public static DateTimeOffset? Time(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            // Splunk's _time is seconds with a fraction; CEF rt and many JSON producers use milliseconds.
            return number > 100_000_000_000
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)number)
                : DateTimeOffset.FromUnixTimeMilliseconds((long)(number * 1000));
        }

        // "+0000" (no colon) is what Wazuh writes; .NET wants "+00:00".
        if (value.Length > 5 && (value[^5] == '+' || value[^5] == '-') && value[^4..].All(char.IsAsciiDigit) && value.Contains('T', StringComparison.Ordinal))
        {
            value = string.Concat(value.AsSpan(0, value.Length - 2), ":", value.AsSpan(value.Length - 2));
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed)
            ? parsed
            : null;
    }

    public static int? Port(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
}
