using System.Collections;
using Microsoft.Extensions.Configuration;
using SiemAi.Http;

namespace SiemAi.Hosting;

/// <summary>
/// Secrets as operators deliver them: every secret setting may come from a file named by <c>NAME_FILE</c>
/// (Docker and Kubernetes secrets are mounted as files); and outside lab mode the host refuses to start
/// with an empty, short or well-known default secret. Messages name the setting, never its value.
/// </summary>
public static class SecretSettings
{
    /// <summary>The flat secret settings; in the Approvals, Ingestion and Generation sections, key hashes, HMAC secrets, signing and API keys also count.</summary>
    public static readonly string[] Known =
    [
        "DB_PASSWORD", "DB_OWNER_PASSWORD", "RABBITMQ_PASSWORD", "API_KEY", "API_KEY_HMAC_SECRET", "CAB_CALLBACK_SECRET", "LLM_API_KEY",
        "Approvals__Jwt__SigningKey",
    ];

    /// <summary>Values nobody should run with: the usual defaults and the placeholders of our samples.</summary>
    private static readonly HashSet<string> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        "guest", "admin", "password", "changeme", "change-me", "change_me", "secret", "siemai", "postgres", "rabbitmq", "test",
        "replace-me", "please-change", "example", "default",
    };

    public const int MinimumLength = 12;

    private static readonly string[] Sections = ["Approvals__", "Ingestion__", "Generation__"];
    private static readonly string[] SectionSecrets = ["__Hash", "__HmacSecret", "__SigningKey", "__CabCallbackSecret", "__LlmApiKey"];

    /// <summary>Only our own settings: an unrelated <c>*_KEY</c> variable of the machine is none of our business.</summary>
    public static bool IsSecret(string name) =>
        Known.Contains(name, StringComparer.Ordinal)
        || (Sections.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)) && SectionSecrets.Any(x => name.EndsWith(x, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Adds <c>NAME</c> = contents of the file <c>NAME_FILE</c> for every secret named so in <paramref name="environment"/>.</summary>
    public static IConfigurationBuilder AddSecretFiles(this IConfigurationBuilder configuration, IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            var variable = (string)entry.Key;
            if (!variable.EndsWith("_FILE", StringComparison.Ordinal) || variable.Length <= 5)
            {
                continue;
            }

            var name = variable[..^5];
            if (!IsSecret(name))
            {
                continue;
            }

            if (environment[name] is string { Length: > 0 })
            {
                throw new InvalidOperationException($"Both {name} and {variable} are set: give the secret one way only.");
            }

            var path = (string?)entry.Value;
            if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
            {
                throw new InvalidOperationException($"{variable} names '{path}', which is not a readable file.");
            }

            values[name.Replace("__", ":", StringComparison.Ordinal)] = File.ReadAllText(path).TrimEnd('\r', '\n');
        }

        return configuration.AddInMemoryCollection(values);
    }

    /// <summary>Outside lab mode: refuses empty, short or default values of the secrets this process uses.</summary>
    public static void EnsureStrong(IConfiguration configuration)
    {
        if (Settings.Boolean(configuration, false, "SIEMAI_LAB_MODE"))
        {
            return;
        }

        var required = new List<string> { "RABBITMQ_PASSWORD" };
        if (string.IsNullOrEmpty(configuration["ConnectionStrings:SiemAi"]))
        {
            required.Add("DB_PASSWORD");
        }

        var weak = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            var name = key.Replace(":", "__", StringComparison.Ordinal);
            if (value is null || !IsSecret(name) || name.EndsWith("__Hash", StringComparison.Ordinal))
            {
                continue;
            }

            required.Remove(name);
            if (value.Length < MinimumLength || Defaults.Contains(value.Trim()))
            {
                weak.Add(name);
            }
        }

        weak.AddRange(required.Where(r => string.IsNullOrEmpty(configuration[r])));
        if (weak.Count > 0)
        {
            throw new InvalidOperationException(
                $"Refusing to start with empty, default or short (< {MinimumLength} characters) secrets: {string.Join(", ", weak.Distinct().Order(StringComparer.Ordinal))}. " +
                "Set strong values (or NAME_FILE pointing at a secret file); SIEMAI_LAB_MODE=true allows lab values.");
        }
    }
}
