using System.Text;
using System.Text.Json;
using FluentValidation;
using Microsoft.Extensions.Options;
using SiemAi.Contracts;
using SiemAi.Ingestion.Formats;
using SiemAi.Ingestion.Webhook;

namespace SiemAi.Ingestion.Normalization;

/// <summary>
/// From a producer's bytes to alerts ready to assign: encoding, JSON limits, format detection, the format's
/// adapter, the alert count, fingerprint, who submitted it, validation. The webhook, the HEC endpoint and
/// <c>siemai ingest test</c> all go through here, so what the command prints is what the webhook would do.
/// </summary>
public sealed class AlertNormalizer(AlertFingerprinter fingerprinter, IValidator<NormalizedAlert> validator, IOptionsMonitor<IngestionOptions> options)
{
    private static readonly Dictionary<string, IJsonAlertAdapter> Adapters = new IJsonAlertAdapter[]
    {
        new SplunkAdapter(), new AlertmanagerAdapter(), new WazuhAdapter(), new ElasticAdapter(), new SentinelAdapter(), new QRadarAdapter(),
    }.ToDictionary(a => a.Format, StringComparer.Ordinal);

    private static readonly GenericJsonAdapter Generic = new();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public IngestionOptions Options => options.CurrentValue;

    /// <summary>
    /// A whole body. <paramref name="format"/> is the producer's forced format (null: detect);
    /// <paramref name="submitter"/> is the authenticated key's name (null: nobody, as on the command line).
    /// </summary>
    public NormalizationResult Normalize(byte[] body, BodyKind kind, string? format, GenericReadPolicy policy, string? submitter, DateTimeOffset receivedAt)
    {
        if (body.Length == 0)
        {
            return NormalizationResult.Refused(400, "empty-body", "Empty body", "The request body is empty.", "body");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return NormalizationResult.Refused(400, "invalid-encoding", "Invalid encoding", "The body is not valid UTF-8.", "body");
        }

        var o = options.CurrentValue;
        IReadOnlyList<AdaptedAlert> alerts;
        try
        {
            var parsed = kind == BodyKind.Json ? ParseJson(body, text, format, policy, receivedAt, o) : ParseCef(text, format, receivedAt);
            if (parsed.Problem is not null)
            {
                return parsed;
            }

            alerts = parsed.Alerts;
        }
        catch (PayloadRejectedException ex)
        {
            return Rejected(ex);
        }

        if (alerts.Count > o.MaxAlertsPerRequest)
        {
            return TooManyAlerts(alerts.Count, o.MaxAlertsPerRequest);
        }

        return Finish(alerts, submitter, i => alerts.Count == 1 ? "" : $"alerts[{i}].");
    }

    /// <summary>One JSON value in a known format (a HEC event); throws <see cref="PayloadRejectedException"/> naming the field.</summary>
    public IReadOnlyList<AdaptedAlert> AdaptJson(JsonElement root, string raw, string format, GenericReadPolicy policy, DateTimeOffset receivedAt, string fieldPrefix = "")
    {
        if (format == AlertFormats.Generic)
        {
            return Generic.Adapt(root, raw, receivedAt, policy, fieldPrefix);
        }

        if (!Adapters.TryGetValue(format, out var adapter))
        {
            throw new PayloadRejectedException(fieldPrefix + "format", $"'{format}' is not a JSON format.");
        }

        try
        {
            var adapted = adapter.Adapt(root, raw, receivedAt);
            if (policy.Defaults is { } defaults)
            {
                adapted = adapted.Select(a => a with { Asset = a.Asset ?? defaults.Asset, Fields = Merge(defaults.Fields, a.Fields) }).ToList();
            }

            return adapted.Select(a => new AdaptedAlert(a, [])).ToList();
        }
        catch (PayloadRejectedException ex) when (fieldPrefix.Length > 0)
        {
            throw new PayloadRejectedException(fieldPrefix + ex.Field, ex.Message, ex.Slug);
        }
    }

    /// <summary>A JSON value's format, or null; a key with a field mapping reads any object the others do not claim as generic.</summary>
    public static string? Detect(JsonElement root, GenericReadPolicy policy) =>
        FormatDetector.DetectJson(root) ?? (policy.Mapping is not null && root.ValueKind == JsonValueKind.Object ? AlertFormats.Generic : null);

    /// <summary>Fingerprint, submitter, validation: errors keyed by field, prefixed per alert by <paramref name="errorPrefix"/>.</summary>
    public NormalizationResult Finish(IReadOnlyList<AdaptedAlert> alerts, string? submitter, Func<int, string> errorPrefix)
    {
        var ready = new AdaptedAlert[alerts.Count];
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < alerts.Count; i++)
        {
            var alert = AlertIngestor.SubmittedBy(alerts[i].Alert with { Fingerprint = fingerprinter.Compute(alerts[i].Alert) }, submitter);
            ready[i] = alerts[i] with { Alert = alert };
            foreach (var group in validator.Validate(alert).Errors.GroupBy(e => errorPrefix(i) + ready[i].ProducerName(e.PropertyName)))
            {
                errors[group.Key] = group.Select(e => e.ErrorMessage).ToArray();
            }
        }

        return errors.Count > 0
            ? NormalizationResult.Refused(new NormalizationProblem(422, "invalid-alert", "The alert is not valid",
                $"{errors.Count} field(s) failed validation; nothing was accepted.", errors.Keys.First()) { Errors = errors })
            : new NormalizationResult(ready, null);
    }

    public static NormalizationResult Rejected(PayloadRejectedException ex) =>
        NormalizationResult.Refused(422, ex.Slug,
            ex.Slug == PayloadRejectedException.AmbiguousField ? "Two spellings of one field disagree" : "The payload cannot be read as alerts",
            ex.Message, ex.Field);

    public static NormalizationResult TooManyAlerts(int count, int max) =>
        NormalizationResult.Refused(413, "too-many-alerts", "Too many alerts",
            $"The request carries {count} alerts; the limit is {max} (Ingestion:MaxAlertsPerRequest).", "alerts");

    /// <summary>The JSON limits of <see cref="IngestionOptions"/> as a problem, or null when the document is within them.</summary>
    public static NormalizationProblem? CheckLimits(byte[] body, IngestionOptions o, bool multipleValues = false) =>
        JsonLimits.Scan(body, o.MaxJsonDepth, o.MaxJsonProperties, multipleValues) is { } violation
            ? violation.Kind switch
            {
                JsonLimitKind.TooManyProperties => new NormalizationProblem(413, "too-many-properties", "Too many JSON properties", violation.Detail, violation.Field),
                JsonLimitKind.TooDeep => new NormalizationProblem(422, "too-deep", "JSON nested too deep", violation.Detail, violation.Field),
                _ => new NormalizationProblem(400, "invalid-json", "Invalid JSON", violation.Detail, violation.Field),
            }
            : null;

    private NormalizationResult ParseJson(byte[] body, string text, string? forcedFormat, GenericReadPolicy policy, DateTimeOffset receivedAt, IngestionOptions o)
    {
        if (CheckLimits(body, o) is { } problem)
        {
            return NormalizationResult.Refused(problem);
        }

        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = o.MaxJsonDepth + 1 });
        var format = forcedFormat ?? Detect(document.RootElement, policy);
        if (format is null)
        {
            return NormalizationResult.Refused(422, "unknown-format", "Format not recognised",
                "The body matches none of generic (a title and a source, in any spelling), splunk, elastic, wazuh, alertmanager, sentinel, qradar; " +
                "POST to /ingest/{format} to name it.", "format");
        }

        return new NormalizationResult(AdaptJson(document.RootElement, text, format, policy, receivedAt), null);
    }

    private static NormalizationResult ParseCef(string text, string? forcedFormat, DateTimeOffset receivedAt)
    {
        if (forcedFormat is null && !CefParser.LooksLikeCef(text))
        {
            return NormalizationResult.Refused(422, "unknown-format", "Format not recognised",
                "A text/plain body must hold CEF lines ('CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|Extension').", "format");
        }

        var alerts = new List<AdaptedAlert>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length > 0)
            {
                alerts.Add(new AdaptedAlert(CefParser.Parse(line, line, receivedAt, field: $"lines[{i}]"), []));
            }
        }

        return alerts.Count == 0
            ? NormalizationResult.Refused(400, "empty-body", "Empty body", "The body holds no CEF lines.", "body")
            : new NormalizationResult(alerts, null);
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
}
