using System.Buffers;
using System.Globalization;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Npgsql;
using SiemAi.Contracts;
using SiemAi.Http;
using SiemAi.Ingestion.Formats;
using SiemAi.Ingestion.Normalization;
using SiemAi.Ingestion.Security;

namespace SiemAi.Ingestion.Webhook;

/// <summary>
/// <c>POST /ingest/webhook</c> and <c>POST /ingest/{format}</c>. Checks run cheapest first (format, key, rate,
/// content type, size, signature, then the shared <see cref="AlertNormalizer"/>); 202 is sent only after every
/// alert of the request was confirmed by RabbitMQ, naming each alert's unmapped fields.
/// </summary>
internal sealed class WebhookHandler(
    ApiKeyAuthenticator authenticator,
    KeyRateLimiter rateLimiter,
    AlertIngestor ingestor,
    AlertNormalizer normalizer,
    IBus bus,
    IngestionMetrics metrics,
    IOptionsMonitor<IngestionOptions> options,
    ILogger<WebhookHandler> logger)
{
    public const string ApiKeyHeader = "X-API-Key";
    public const string SignatureHeader = "X-Signature-256";

    public async Task<IResult> HandleAsync(HttpContext context, string? forcedFormat)
    {
        var result = await HandleCoreAsync(context, forcedFormat?.ToLowerInvariant());
        if (result is IStatusCodeHttpResult { StatusCode: >= 400 and var status })
        {
            metrics.WebhookRejected(status);
        }

        return result;
    }

    private async Task<IResult> HandleCoreAsync(HttpContext context, string? forcedFormat)
    {
        var o = options.CurrentValue;
        var request = context.Request;
        if (forcedFormat is not null && !AlertFormats.Webhook.Contains(forcedFormat))
        {
            return Problems.Of(context, 404, "unknown-format", "Unknown format",
                $"'{forcedFormat}' is not a webhook format; use one of {string.Join(", ", AlertFormats.Webhook)} or POST /ingest/webhook.", "format");
        }

        var presented = request.Headers[ApiKeyHeader].ToString();
        if (presented.Length == 0)
        {
            return Problems.Of(context, 401, "missing-api-key", "API key required", $"Send the key in the {ApiKeyHeader} header.", ApiKeyHeader);
        }

        if (authenticator.Authenticate(presented) is not { } match)
        {
            logger.LogWarning("Webhook request from {RemoteIp} rejected: unknown API key", context.Connection.RemoteIpAddress);
            return Problems.Of(context, 401, "invalid-api-key", "Invalid API key", $"The {ApiKeyHeader} header does not match any configured key.", ApiKeyHeader);
        }

        var (keyName, key) = match;
        if (rateLimiter.TryAcquire(keyName) is { } retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            logger.LogWarning("Webhook key {KeyName} over its rate limit {RateLimit}", keyName, o.RateLimit);
            return Problems.Of(context, 429, "rate-limited", "Too many requests",
                $"The key's rate limit ({o.RateLimit}) is used up; retry after {seconds} s.", ApiKeyHeader);
        }

        var isJson = false;
        var isText = false;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            var charset = mediaType.Charset.Value;
            var utf8 = string.IsNullOrEmpty(charset) || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
            isJson = utf8 && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.MediaType.Value!.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
            isText = utf8 && mediaType.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
        }

        var accepted = forcedFormat switch
        {
            null => isJson || isText,
            AlertFormats.Cef => isText,
            _ => isJson,
        };
        if (!accepted)
        {
            var expected = forcedFormat switch { null => "application/json or text/plain (CEF)", AlertFormats.Cef => "text/plain", _ => "application/json" };
            return Problems.Of(context, 415, "unsupported-media-type", "Unsupported content type",
                $"Content-Type '{request.ContentType}' is not accepted here; send {expected} (UTF-8).", "Content-Type");
        }

        if (request.ContentLength > o.MaxBodyBytes)
        {
            return TooLarge(context, o.MaxBodyBytes);
        }

        var body = await ReadBodyAsync(request.Body, o.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return TooLarge(context, o.MaxBodyBytes);
        }

        if (key.HmacSecret is { Length: > 0 } secret)
        {
            var signature = request.Headers[SignatureHeader].ToString();
            if (signature.Length == 0)
            {
                return Problems.Of(context, 401, "missing-signature", "Signature required",
                    $"Key '{keyName}' requires {SignatureHeader}: sha256=<hex HMAC-SHA256 of the body>.", SignatureHeader);
            }

            if (!BodySignature.Matches(secret, body, signature))
            {
                logger.LogWarning("Webhook request with key {KeyName} rejected: bad body signature", keyName);
                return Problems.Of(context, 401, "invalid-signature", "Invalid signature",
                    $"{SignatureHeader} does not match the HMAC-SHA256 of the body.", SignatureHeader);
            }
        }

        var kind = isJson ? BodyKind.Json : BodyKind.Text;
        var normalized = normalizer.Normalize(body, kind, forcedFormat, GenericReadPolicy.ForKey(o, keyName), keyName, DateTimeOffset.UtcNow);
        if (normalized.Problem is { } problem)
        {
            return ProblemResult(context, problem);
        }

        var ready = normalized.Alerts;
        var results = new AcceptedAlert[ready.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, ready.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = context.RequestAborted },
                async (i, ct) => results[i] = await ingestor.AssignAndPublishAsync(ready[i].Alert, bus, ct) with { UnmappedFields = ready[i].UnmappedFields });
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            var database = ex is NpgsqlException || ex.InnerException is NpgsqlException;
            logger.LogError(ex, "Webhook request with key {KeyName}: {AlertCount} alert(s) not acknowledged, {Dependency} unavailable",
                keyName, ready.Count, database ? "database" : "broker");
            context.Response.Headers.RetryAfter = "5";
            return database
                ? Problems.Of(context, 503, "database-unavailable", "Alerts not accepted",
                    "The incident store could not assign the alerts; nothing was acknowledged, send them again.", "database")
                : Problems.Of(context, 503, "broker-unavailable", "Alerts not accepted",
                    "RabbitMQ did not confirm the alerts in time; nothing was acknowledged, send them again.", "broker");
        }

        return TypedResults.Accepted((string?)null, new WebhookAccepted(results));
    }

    /// <summary>A refusal of the normalizer as problem details (validation failures list every field).</summary>
    internal static IResult ProblemResult(HttpContext context, NormalizationProblem problem) =>
        problem.Errors is { } errors
            ? Problems.Invalid(context, errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal), "invalid-alert", "The alert is not valid", problem.Detail)
            : Problems.Of(context, problem.Status, problem.Slug, problem.Title, problem.Detail, problem.Field);

    internal static IResult TooLarge(HttpContext context, long max) =>
        Problems.Of(context, 413, "body-too-large", "Body too large", $"The body exceeds {max} bytes (Ingestion:MaxBodyBytes).", "body");

    /// <summary>Reads at most <paramref name="max"/> bytes; null when the body is longer (whatever Content-Length said).</summary>
    internal static async Task<byte[]?> ReadBodyAsync(Stream stream, long max, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var collected = new MemoryStream();
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (collected.Length + read > max)
                {
                    return null;
                }

                collected.Write(buffer, 0, read);
            }

            return collected.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
