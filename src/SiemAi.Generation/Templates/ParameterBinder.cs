using SiemAi.Contracts;

namespace SiemAi.Generation.Templates;

/// <summary>
/// Extracts and validates a template's parameters from an alert. Problems name the alert field and the
/// expected type but never repeat the value: a hostile value must not travel on into logs or playbooks.
/// </summary>
public static class ParameterBinder
{
    public static ParameterBinding Bind(PlaybookTemplate template, NormalizedAlert alert)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in template.Metadata.Parameters)
        {
            string? raw = null;
            string? origin = null;
            foreach (var source in spec.Sources)
            {
                raw = AlertFields.Read(alert, source);
                if (raw is not null)
                {
                    origin = source;
                    break;
                }
            }

            if (raw is null && spec.Default is not null)
            {
                raw = spec.Default;
                origin = "default";
            }

            if (raw is null)
            {
                if (spec.Required)
                {
                    return Fail($"needs {spec.Name} ({ParameterValidation.Describe(spec.Type)}) from {string.Join(" or ", spec.Sources)}; the alert has none");
                }

                continue;
            }

            var value = ParameterValidation.Normalize(spec.Type, raw, out var error);
            if (value is null)
            {
                return Fail($"{origin} {error} (parameter {spec.Name})");
            }

            if (spec.Forbidden.Any(f => string.Equals(f, value, StringComparison.OrdinalIgnoreCase)))
            {
                return Fail($"{origin} names a value this template refuses to act on (parameter {spec.Name})");
            }

            if (spec.AllowedPrefixes.Count > 0 && !spec.AllowedPrefixes.Any(p => value.StartsWith(p, StringComparison.Ordinal)))
            {
                return Fail($"{origin} is outside {string.Join(", ", spec.AllowedPrefixes)} (parameter {spec.Name})");
            }

            values[spec.Name] = value;
        }

        return new ParameterBinding(values, null);
    }

    private static ParameterBinding Fail(string problem) => new(new Dictionary<string, string>(), problem);
}
