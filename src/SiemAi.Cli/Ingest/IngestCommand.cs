using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SiemAi.Ingestion;
using SiemAi.Ingestion.Formats;
using SiemAi.Ingestion.Mapping;
using SiemAi.Ingestion.Normalization;

namespace SiemAi.Cli.Ingest;

/// <summary>
/// <c>siemai ingest test FILE [--format F] [--key NAME | --strict] [--mapping NAME] [--settings FILE] [--json]</c>:
/// reads a producer's body the way the webhook would (the same <see cref="AlertNormalizer"/>, the same settings
/// from <c>--settings</c> and <c>Ingestion__*</c> variables) and prints each normalized alert, its fingerprint and
/// its unmapped fields, or the problem the webhook would answer. Nothing is sent anywhere.
/// Exit 0 = the webhook would accept it, 1 = it would refuse it, 2 = usage, file or settings error.
/// </summary>
public static class IngestCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Printed for a person at a terminal, never embedded in HTML: quotes and '<' stay readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    private static readonly JsonSerializerOptions JsonLine = new(Json) { WriteIndented = false };

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A body as the producer sends it (JSON, or CEF lines)." };
        var format = new Option<string?>("--format")
        {
            Description = $"Read it as this format ({string.Join(", ", AlertFormats.Webhook)}), as POST /ingest/{{format}} would; detected otherwise.",
        };
        var key = new Option<string?>("--key") { Description = "Read it as this ingest key's requests are read (its Strict and FieldMapping settings); the key becomes the submitter." };
        var strict = new Option<bool>("--strict") { Description = "Read a generic body strictly (schema names only), as a strict key would." };
        var mapping = new Option<string?>("--mapping") { Description = "Apply this profile of Ingestion:FieldMappings." };
        var settings = new Option<string[]>("--settings") { Description = "JSON settings files in the host's appsettings shape (Ingestion section); Ingestion__* variables apply on top.", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };

        var test = new Command("test", "Show how a body would be normalized: alerts, fingerprints, unmapped fields (sends nothing).");
        test.Arguments.Add(file);
        test.Options.Add(format);
        test.Options.Add(key);
        test.Options.Add(strict);
        test.Options.Add(mapping);
        test.Options.Add(settings);
        test.Options.Add(json);
        test.SetAction((parseResult, ct) => RunAsync(
            new Request(parseResult.GetValue(file)!, parseResult.GetValue(format)?.ToLowerInvariant(), parseResult.GetValue(key), parseResult.GetValue(strict),
                parseResult.GetValue(mapping), parseResult.GetValue(settings) ?? [], parseResult.GetValue(json)),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            ct));

        var ingest = new Command("ingest", "Ingestion: try producer bodies against the configured formats and mappings.");
        ingest.Subcommands.Add(test);
        return ingest;
    }

    private static async Task<int> RunAsync(Request request, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (request.Format is { } f && !AlertFormats.Webhook.Contains(f))
        {
            await error.WriteLineAsync($"siemai ingest test: --format must be one of {string.Join(", ", AlertFormats.Webhook)}.").ConfigureAwait(false);
            return CliExit.Usage;
        }

        byte[] body;
        IConfiguration configuration;
        try
        {
            body = await File.ReadAllBytesAsync(request.File, ct).ConfigureAwait(false);
            var builder = new ConfigurationBuilder();
            foreach (var path in request.Settings)
            {
                builder.AddJsonFile(Path.GetFullPath(path), optional: false);
            }

            configuration = builder.AddEnvironmentVariables().Build();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            await error.WriteLineAsync($"siemai ingest test: {ex.Message}").ConfigureAwait(false);
            return CliExit.Usage;
        }

        using var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddIngestionNormalization()
            .BuildServiceProvider();
        var normalizer = services.GetRequiredService<AlertNormalizer>();
        var options = services.GetRequiredService<IOptions<IngestionOptions>>().Value;

        // The same start-up check the host makes: a wrong mapping is a settings error here too, named.
        var problems = FieldMappingRules.Errors(options);
        if (request.Key is { } keyName && !options.ApiKeys.ContainsKey(keyName))
        {
            problems.Add($"--key {keyName}: no key of that name under Ingestion:ApiKeys.");
        }

        if (request.Mapping is { } name && !options.FieldMappings.ContainsKey(name))
        {
            problems.Add($"--mapping {name}: no profile of that name under Ingestion:FieldMappings.");
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"siemai ingest test: {problem}").ConfigureAwait(false);
            }

            return CliExit.Usage;
        }

        var policy = GenericReadPolicy.ForKey(options, request.Key);
        policy = policy with
        {
            Strict = policy.Strict || request.Strict,
            Mapping = request.Mapping is { } profile ? FieldMappingProfile.Named(options, profile) : policy.Mapping,
        };
        var kind = request.Format == AlertFormats.Cef || (request.Format is null && !LooksLikeJson(body)) ? BodyKind.Text : BodyKind.Json;
        var result = normalizer.Normalize(body, kind, request.Format, policy, request.Key, DateTimeOffset.UtcNow);

        await (request.Json ? output.WriteLineAsync(JsonSerializer.Serialize(ToJson(request.File, result), JsonLine)) : WriteTextAsync(output, request.File, result)).ConfigureAwait(false);
        return result.Problem is null ? CliExit.Ok : CliExit.Finding;
    }

    private static object ToJson(string file, NormalizationResult result) => result.Problem is { } p
        ? new { file, accepted = false, problem = new { status = p.Status, type = "urn:siemai:problem:" + p.Slug, title = p.Title, detail = p.Detail, field = p.Field, errors = p.Errors } }
        : new
        {
            file,
            accepted = true,
            alerts = result.Alerts.Select(a => new { fingerprint = a.Alert.Fingerprint, unmappedFields = a.UnmappedFields, alert = a.Alert }),
        };

    private static async Task WriteTextAsync(TextWriter output, string file, NormalizationResult result)
    {
        if (result.Problem is { } p)
        {
            await output.WriteLineAsync($"{file}: REFUSED {p.Status} {p.Slug} at '{p.Field}': {p.Detail}").ConfigureAwait(false);
            foreach (var (field, messages) in p.Errors ?? new Dictionary<string, string[]>())
            {
                await output.WriteLineAsync($"  {field}: {string.Join(" ", messages)}").ConfigureAwait(false);
            }

            return;
        }

        await output.WriteLineAsync($"{file}: ACCEPTED, {result.Alerts.Count} alert(s)").ConfigureAwait(false);
        var n = 0;
        foreach (var adapted in result.Alerts)
        {
            await output.WriteLineAsync($"alert {++n} ({adapted.Alert.Format})").ConfigureAwait(false);
            await output.WriteLineAsync($"  fingerprint: {adapted.Alert.Fingerprint}").ConfigureAwait(false);
            await output.WriteLineAsync($"  unmapped:    {(adapted.UnmappedFields.Count == 0 ? "(none)" : string.Join(", ", adapted.UnmappedFields))}").ConfigureAwait(false);
            await output.WriteLineAsync("  normalized alert:").ConfigureAwait(false);
            foreach (var line in JsonSerializer.Serialize(adapted.Alert, Json).Split('\n'))
            {
                await output.WriteLineAsync("    " + line.TrimEnd('\r')).ConfigureAwait(false);
            }
        }
    }

    private static bool LooksLikeJson(byte[] body)
    {
        foreach (var b in body.AsSpan().StartsWith("\uFEFF"u8) ? body.AsSpan(3) : body.AsSpan())
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            return b is (byte)'{' or (byte)'[';
        }

        return true;
    }

    private sealed record Request(string File, string? Format, string? Key, bool Strict, string? Mapping, string[] Settings, bool Json);
}
