using System.Globalization;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SiemAi.Contracts;
using SiemAi.Http;
using SiemAi.Ingestion.Formats;
using SiemAi.Ingestion.Normalization;
using SiemAi.Ingestion.Security;
using SiemAi.Ingestion.Webhook;

namespace SiemAi.Ingestion.Hec;

/// <summary>
/// A Splunk HTTP Event Collector–compatible endpoint (<c>POST /services/collector[/event]</c>): the token in
/// <c>Authorization: Splunk &lt;token&gt;</c> is an ingest API key (same hashes, same constant-time check, same
/// name as submitter), the body is HEC's JSON events one after another (<c>{"event":..}{"event":..}</c>), each
/// event's <c>event</c> is an alert in any JSON format (detected; generic when none claims it) or a CEF line,
/// and the envelope's <c>host</c>, <c>source</c>, <c>time</c> fill what the alert leaves out. Answers are HEC's:
/// 200 <c>{"text":"Success","code":0}</c> only after every alert was confirmed by RabbitMQ; errors carry HEC's
/// <c>text</c>/<c>code</c> (and <c>invalid-event-number</c>) inside RFC 7807 problem details.
/// </summary>
internal sealed class HecHandler(
    ApiKeyAuthenticator authenticator,
    KeyRateLimiter rateLimiter,
    AlertIngestor ingestor,
    AlertNormalizer normalizer,
    HecAckLedger acks,
    IBus bus,
    IngestionMetrics metrics,
    IOptionsMonitor<IngestionOptions> options,
    ILogger<HecHandler> logger)
{
    public const string ChannelHeader = "X-Splunk-Request-Channel";
    private const string Scheme = "Splunk ";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<IResult> HandleEventsAsync(HttpContext context)
    {
        var result = await EventsCoreAsync(context);
        Count(result);
        return result;
    }

    public async Task<IResult> HandleAckAsync(HttpContext context)
    {
        var result = await AckCoreAsync(context);
        Count(result);
        return result;
    }

    private async Task<IResult> EventsCoreAsync(HttpContext context)
    {
        var o = options.CurrentValue;
        var auth = Authenticate(context);
        if (auth.Error is not null)
        {
            return auth.Error;
        }

        var (keyName, key) = (auth.Name!, auth.Key!);
        if (rateLimiter.TryAcquire(keyName) is { } retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Error(context, 503, 9, "Server is busy", "rate-limited", "Too many requests",
                $"The key's rate limit ({o.RateLimit}) is used up; retry after {seconds} s.", "Authorization");
        }

        var (channel, channelError) = Channel(context);
        if (channelError is not null)
        {
            return channelError;
        }

        if (context.Request.ContentLength > o.MaxBodyBytes)
        {
            return TooLarge(context, o.MaxBodyBytes);
        }

        var body = await WebhookHandler.ReadBodyAsync(context.Request.Body, o.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return TooLarge(context, o.MaxBodyBytes);
        }

        if (key.HmacSecret is { Length: > 0 } secret && !BodySignature.Matches(secret, body, context.Request.Headers[WebhookHandler.SignatureHeader].ToString()))
        {
            // HEC clients cannot sign; a key that must sign cannot be used here unsigned.
            logger.LogWarning("HEC request with key {KeyName} rejected: the key requires a body signature", keyName);
            return Error(context, 401, 3, "Invalid authorization", "invalid-signature", "Signature required",
                $"Key '{keyName}' requires {WebhookHandler.SignatureHeader}: sha256=<hex HMAC-SHA256 of the body>; use a key without an HMAC secret for HEC clients.",
                WebhookHandler.SignatureHeader);
        }

        if (body.Length == 0 || body.All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
        {
            return Error(context, 400, 5, "No data", "empty-body", "Empty body", "The request holds no events.", "body");
        }

        try
        {
            StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Error(context, 400, 6, "Invalid data format", "invalid-encoding", "Invalid encoding", "The body is not valid UTF-8.", "body");
        }

        if (AlertNormalizer.CheckLimits(body, o, multipleValues: true) is { } limit)
        {
            return Error(context, limit.Status, 6, "Invalid data format", limit.Slug, limit.Title, limit.Detail, limit.Field);
        }

        var receivedAt = DateTimeOffset.UtcNow;
        var policy = GenericReadPolicy.ForKey(o, keyName);
        var ready = new List<AdaptedAlert>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = o.MaxJsonDepth + 2 });
        for (var index = 0; ; index++)
        {
            JsonDocument envelope;
            try
            {
                if (!reader.Read())
                {
                    break;
                }

                envelope = JsonDocument.ParseValue(ref reader);
            }
            catch (JsonException ex)
            {
                return Error(context, 400, 6, "Invalid data format", "invalid-json", "Invalid JSON",
                    $"Event {index} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).", "body", index);
            }

            using var document = envelope;
            var (alerts, problem) = ReadEvent(context, document.RootElement, index, policy, keyName, receivedAt);
            if (problem is not null)
            {
                return problem;
            }

            ready.AddRange(alerts);
            if (ready.Count > o.MaxAlertsPerRequest)
            {
                var tooMany = AlertNormalizer.TooManyAlerts(ready.Count, o.MaxAlertsPerRequest).Problem!;
                return Error(context, tooMany.Status, 6, "Invalid data format", tooMany.Slug, tooMany.Title, tooMany.Detail, tooMany.Field, index);
            }
        }

        var results = new AcceptedAlert[ready.Count];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, ready.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = context.RequestAborted },
                async (i, ct) => results[i] = await ingestor.AssignAndPublishAsync(ready[i].Alert, bus, ct) with { UnmappedFields = ready[i].UnmappedFields });
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            var database = ex is NpgsqlException || ex.InnerException is NpgsqlException;
            logger.LogError(ex, "HEC request with key {KeyName}: {AlertCount} alert(s) not acknowledged, {Dependency} unavailable",
                keyName, ready.Count, database ? "database" : "broker");
            context.Response.Headers.RetryAfter = "5";
            return Error(context, 503, 9, "Server is busy", database ? "database-unavailable" : "broker-unavailable", "Alerts not accepted",
                database ? "The incident store could not assign the alerts; nothing was acknowledged, send them again."
                         : "RabbitMQ did not confirm the alerts in time; nothing was acknowledged, send them again.",
                database ? "database" : "broker");
        }

        long? ackId = channel is { } c ? acks.Issue(keyName, c) : null;
        return TypedResults.Ok(new HecAccepted("Success", 0, ackId, results));
    }

    /// <summary>One HEC event: its envelope checked, its <c>event</c> read in its format, then fingerprinted and validated.</summary>
    private (IReadOnlyList<AdaptedAlert> Alerts, IResult? Problem) ReadEvent(
        HttpContext context, JsonElement envelope, int index, GenericReadPolicy policy, string keyName, DateTimeOffset receivedAt)
    {
        IResult Invalid(string slug, string title, string detail, string field, int code = 6, string text = "Invalid data format") =>
            Error(context, 400, code, text, slug, title, detail, field, index);

        if (envelope.ValueKind != JsonValueKind.Object)
        {
            return ([], Invalid("invalid-payload", "The payload cannot be read as alerts", $"Event {index} is not a JSON object ({{\"event\": ...}}).", "body"));
        }

        if (!envelope.TryGetProperty("event", out var evt))
        {
            return ([], Invalid("invalid-payload", "Event field is required", $"Event {index} has no 'event' field.", "event", 12, "Event field is required"));
        }

        if (evt.ValueKind is JsonValueKind.Null || (evt.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(evt.GetString()))
            || (evt.ValueKind == JsonValueKind.Object && !evt.EnumerateObject().Any()))
        {
            return ([], Invalid("invalid-payload", "Event field cannot be blank", $"Event {index}'s 'event' is blank.", "event", 13, "Event field cannot be blank"));
        }

        AlertDefaults defaults;
        try
        {
            defaults = Defaults(envelope);
        }
        catch (PayloadRejectedException ex)
        {
            return ([], Invalid(ex.Slug, "The payload cannot be read as alerts", ex.Message, ex.Field));
        }

        var raw = envelope.GetRawText();
        var eventPolicy = policy with { Defaults = defaults };
        IReadOnlyList<AdaptedAlert> alerts;
        try
        {
            if (evt.ValueKind == JsonValueKind.String)
            {
                var line = evt.GetString()!;
                if (CefParser.LooksLikeCef(line))
                {
                    var cef = CefParser.Parse(line, raw, receivedAt, defaults.Asset, defaults.ObservedAt, field: "event");
                    alerts = [new AdaptedAlert(cef with { Fields = Merge(defaults.Fields, cef.Fields) }, [])];
                }
                else
                {
                    return ([], Invalid("unknown-format", "Format not recognised",
                        $"Event {index}'s 'event' is text but not a CEF line; send the alert as a JSON object.", "event"));
                }
            }
            else
            {
                var format = AlertNormalizer.Detect(evt, eventPolicy) ?? AlertFormats.Generic;
                alerts = normalizer.AdaptJson(evt, raw, format, eventPolicy, receivedAt, "event.");
            }
        }
        catch (PayloadRejectedException ex)
        {
            var problem = AlertNormalizer.Rejected(ex).Problem!;
            return ([], Invalid(problem.Slug, problem.Title, problem.Detail, problem.Field));
        }

        var finished = normalizer.Finish(alerts, keyName, i => alerts.Count == 1 ? "event." : $"event.alerts[{i}].");
        if (finished.Problem is { } invalid)
        {
            var result = Error(context, 400, 6, "Invalid data format", invalid.Slug, invalid.Title, invalid.Detail, invalid.Field, index);
            if (result is ProblemHttpResult { ProblemDetails: { } details } && invalid.Errors is { } errors)
            {
                details.Extensions["errors"] = errors;
            }

            return ([], result);
        }

        return (finished.Alerts, null);
    }

    /// <summary>The envelope's metadata: <c>time</c> (epoch seconds), <c>host</c>, <c>source</c>, <c>sourcetype</c>, <c>index</c>, indexed <c>fields</c>.</summary>
    private static AlertDefaults Defaults(JsonElement envelope)
    {
        string? Text(string name)
        {
            if (!envelope.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? JsonFields.Scalar(value)?.Trim() is { Length: > 0 } text ? text : null
                : throw new PayloadRejectedException(name, $"'{name}' must be a string.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "host", "source", "sourcetype", "index", "time" })
        {
            if (Text(name) is { } value)
            {
                fields["hec." + name] = TextLimits.Cap(value, 4096)!;
            }
        }

        DateTimeOffset? time = null;
        if (Text("time") is { } timeText)
        {
            time = JsonFields.Time(timeText) ?? throw new PayloadRejectedException("time", "'time' must be epoch seconds (e.g. 1740823200.5).");
        }

        if (envelope.TryGetProperty("fields", out var indexed) && indexed.ValueKind != JsonValueKind.Null)
        {
            if (indexed.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadRejectedException("fields", "'fields' (indexed fields) must be an object of strings or arrays of strings.");
            }

            foreach (var field in indexed.EnumerateObject())
            {
                fields["hec.fields." + field.Name] = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : JsonSerializer.Serialize(field.Value);
            }
        }

        return new AlertDefaults
        {
            Asset = Text("host"),
            SourceSystem = Text("source") ?? Text("sourcetype") ?? "splunk-hec",
            ObservedAt = time,
            Fields = fields,
        };
    }

    private async Task<IResult> AckCoreAsync(HttpContext context)
    {
        var auth = Authenticate(context);
        if (auth.Error is not null)
        {
            return auth.Error;
        }

        var (channel, channelError) = Channel(context);
        if (channelError is not null)
        {
            return channelError;
        }

        if (channel is not { } c)
        {
            return Error(context, 400, 10, "Data channel is missing", "missing-channel", "Channel required",
                $"Name the channel in {ChannelHeader} or ?channel= (a GUID).", ChannelHeader);
        }

        var body = await WebhookHandler.ReadBodyAsync(context.Request.Body, 64 * 1024, context.RequestAborted);
        List<long> ids;
        try
        {
            using var document = body is { Length: > 0 } ? JsonDocument.Parse(body) : throw new JsonException("empty");
            ids = document.RootElement.TryGetProperty("acks", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() <= 10_000
                ? list.EnumerateArray().Select(a => a.TryGetInt64(out var id) ? id : throw new JsonException("not an integer")).ToList()
                : throw new JsonException("no acks array");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Error(context, 400, 6, "Invalid data format", "invalid-payload", "The ack query cannot be read",
                "Send {\"acks\":[<ack ids>]} (at most 10000 ids, 64 KiB).", "acks");
        }

        var answer = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            answer[id.ToString(CultureInfo.InvariantCulture)] = acks.IsAcknowledged(auth.Name!, c, id);
        }

        return TypedResults.Ok(new HecAckStatus(answer));
    }

    private (string? Name, ApiKeyOptions? Key, IResult? Error) Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return (null, null, Error(context, 401, 2, "Token is required", "missing-api-key", "Token required",
                "Send the token as 'Authorization: Splunk <token>'.", "Authorization"));
        }

        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            return (null, null, Error(context, 401, 3, "Invalid authorization", "invalid-authorization", "Invalid authorization",
                "The Authorization header must be 'Splunk <token>'.", "Authorization"));
        }

        if (authenticator.Authenticate(header[Scheme.Length..].Trim()) is not { } match)
        {
            logger.LogWarning("HEC request from {RemoteIp} rejected: unknown token", context.Connection.RemoteIpAddress);
            return (null, null, Error(context, 403, 4, "Invalid token", "invalid-api-key", "Invalid token",
                "The token does not match any configured ingest key.", "Authorization"));
        }

        return (match.Name, match.Key, null);
    }

    private static (Guid? Channel, IResult? Error) Channel(HttpContext context)
    {
        var text = context.Request.Headers[ChannelHeader].ToString();
        if (text.Length == 0)
        {
            text = context.Request.Query["channel"].ToString();
        }

        if (text.Length == 0)
        {
            return (null, null);
        }

        return Guid.TryParse(text, out var channel)
            ? (channel, null)
            : (null, Error(context, 400, 11, "Invalid data channel", "invalid-channel", "Invalid data channel",
                "The channel must be a GUID.", ChannelHeader));
    }

    private static IResult TooLarge(HttpContext context, long max) =>
        Error(context, 413, 6, "Invalid data format", "body-too-large", "Body too large", $"The body exceeds {max} bytes (Ingestion:MaxBodyBytes).", "body");

    /// <summary>Problem details that a HEC client also reads: HEC's <c>text</c> and <c>code</c>, and the failing event's number.</summary>
    private static IResult Error(HttpContext context, int status, int code, string text, string slug, string title, string detail, string field, int? eventNumber = null)
    {
        var extensions = new List<KeyValuePair<string, object?>> { new("text", text), new("code", code) };
        if (eventNumber is { } n)
        {
            extensions.Add(new("invalid-event-number", n));
        }

        return Problems.Of(context, status, slug, title, detail, field, extensions);
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> defaults, IReadOnlyDictionary<string, string> own)
    {
        var merged = new Dictionary<string, string>(defaults, StringComparer.Ordinal);
        foreach (var (key, value) in own)
        {
            merged[key] = value;
        }

        return merged;
    }

    private void Count(IResult result)
    {
        if (result is IStatusCodeHttpResult { StatusCode: >= 400 and var status })
        {
            metrics.WebhookRejected(status);
        }
    }
}
