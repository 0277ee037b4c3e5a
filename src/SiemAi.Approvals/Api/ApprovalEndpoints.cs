using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiemAi.Approvals.Security;
using SiemAi.Contracts;
using SiemAi.EventStore;
using SiemAi.Incidents.Model;

namespace SiemAi.Approvals.Api;

/// <summary>The approval API: queries over the read model and the audit stream, decisions sent to the saga.</summary>
public static class ApprovalEndpoints
{
    public const string SignatureHeader = "X-SiemAi-Signature";

    public static void MapApprovalApi(this RouteGroupBuilder api)
    {
        var incidents = api.MapGroup("/incidents").WithTags("incidents");
        incidents.MapGet("/", ListAsync).RequireAuthorization(Roles.ReadPolicy);
        incidents.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Roles.ReadPolicy);
        incidents.MapGet("/{id:guid}/playbook", PlaybookAsync).RequireAuthorization(Roles.ReadPolicy);
        incidents.MapGet("/{id:guid}/events", EventsAsync).RequireAuthorization(Roles.ReadPolicy);
        incidents.MapPost("/{id:guid}/decisions", DecideAsync).RequireAuthorization(Roles.ApprovePolicy);
        incidents.MapPost("/{id:guid}/cab", CabDecideAsync).RequireAuthorization(Roles.CabPolicy);
        api.MapPost("/cab/callback", CabCallbackAsync).AllowAnonymous().WithTags("cab");
    }

    private static async Task<IResult> ListAsync(IncidentReader reader, string? status, string? severity, DateTimeOffset? since, DateTimeOffset? until, int? page, int? pageSize, CancellationToken ct)
    {
        var p = page ?? 1;
        var size = pageSize ?? 50;
        if (p < 1 || size is < 1 or > 500)
        {
            return Results.Problem(statusCode: 400, title: "Bad paging", detail: "page must be ≥ 1 and pageSize between 1 and 500.");
        }

        var (total, items) = await reader.ListAsync(status, severity, since, until, p, size, ct);
        return Results.Ok(new { total, page = p, pageSize = size, items });
    }

    private static async Task<IResult> GetAsync(Guid id, IncidentReader reader, CancellationToken ct)
    {
        if (await reader.GetAsync(id, ct) is not { } incident)
        {
            return NotFound(id);
        }

        var d = incident.Data;
        var body = incident.Summary.DeepClone().AsObject();
        body["alert"] = d["alert"]?.DeepClone();
        body["raisedBy"] = incident.RaisedBy;
        body["playbook"] = new JsonObject
        {
            ["sha256"] = d["playbookSha256"]?.DeepClone(),
            ["title"] = d["playbookTitle"]?.DeepClone(),
            ["yaml"] = d["playbookYaml"]?.DeepClone(),
            ["provenance"] = d["provenance"]?.DeepClone(),
        };
        body["findings"] = d["findings"]?.DeepClone();
        body["approvals"] = d["approvals"]?.DeepClone();
        body["requiredApprovals"] = d["requiredApprovals"]?.DeepClone();
        body["needsCab"] = d["needsCab"]?.DeepClone();
        body["editors"] = d["editors"]?.DeepClone();
        body["deadline"] = d["approvalDeadline"]?.DeepClone();
        body["checkRun"] = d["lastRunSucceeded"] is null ? null : new JsonObject
        {
            ["mode"] = d["runMode"]?.DeepClone(),
            ["succeeded"] = d["lastRunSucceeded"]?.DeepClone(),
            ["hosts"] = d["lastRunHosts"]?.DeepClone(),
        };
        return Results.Json(body);
    }

    private static async Task<IResult> PlaybookAsync(Guid id, IncidentReader reader, HttpContext http, CancellationToken ct)
    {
        if (await reader.GetAsync(id, ct) is not { } incident)
        {
            return NotFound(id);
        }

        if (incident.Data["playbookYaml"]?.GetValue<string>() is not { } yaml)
        {
            return Results.Problem(statusCode: 404, title: "No playbook yet", detail: $"Incident {id} has no playbook.");
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(yaml);
        http.Response.Headers["X-Playbook-Sha256"] = PlaybookHash.Of(yaml);
        return Results.Bytes(bytes, "application/yaml");
    }

    private static async Task<IResult> EventsAsync(Guid id, PostgresEventStore store, IncidentReader reader, CancellationToken ct)
    {
        if (await reader.GetAsync(id, ct) is null)
        {
            return NotFound(id);
        }

        var events = new List<JsonObject>();
        await foreach (var e in store.ReadStreamAsync(IncidentStream.Id(id), ct: ct))
        {
            events.Add(new JsonObject
            {
                ["version"] = e.Version,
                ["type"] = e.Type,
                ["recordedAt"] = e.RecordedAt,
                ["eventId"] = e.EventId,
                ["data"] = JsonNode.Parse(e.Data),
                ["metadata"] = JsonNode.Parse(e.Metadata),
                ["hash"] = Convert.ToHexStringLower(e.Hash),
            });
        }

        return Results.Json(events);
    }

    private static Task<IResult> DecideAsync(Guid id, DecisionRequest body, ClaimsPrincipal user, IncidentReader reader, IPublishEndpoint bus, ILoggerFactory loggers, CancellationToken ct) =>
        SubmitDecisionAsync(id, user.Identity!.Name!, body, reader, bus, loggers, ct);

    /// <summary>
    /// Every rule a decision must pass, then the command to the saga: shared by the API and the review pages,
    /// so a person gets the same answer whichever they use. 202 when sent, a problem otherwise.
    /// </summary>
    internal static async Task<IResult> SubmitDecisionAsync(Guid id, string approver, DecisionRequest body, IncidentReader reader, IPublishEndpoint bus, ILoggerFactory loggers, CancellationToken ct)
    {
        ApprovalDecision decision;
        switch (body.Decision?.ToLowerInvariant())
        {
            case "approve": decision = ApprovalDecision.Approve; break;
            case "deny": decision = ApprovalDecision.Deny; break;
            case "regenerate": decision = ApprovalDecision.Regenerate; break;
            default: return Results.Problem(statusCode: 400, title: "Bad decision", detail: "decision must be approve, deny or regenerate.");
        }

        if (body.PlaybookSha256 is not { Length: 64 } sha || !sha.All(Uri.IsHexDigit))
        {
            return Results.Problem(statusCode: 400, title: "Missing playbook hash", detail: "playbookSha256 must be the 64-hex SHA-256 of the playbook you reviewed.");
        }

        if (body.Comment is { Length: > 4000 })
        {
            return Results.Problem(statusCode: 400, title: "Comment too long", detail: "comment is limited to 4000 characters.");
        }

        sha = sha.ToLowerInvariant();
        if (await reader.GetAsync(id, ct) is not { } incident)
        {
            return NotFound(id);
        }

        // The saga stays the authority (it applies the same policy and audits refusals); asking first gives the
        // approver a 409 with the reason instead of a silent no-op.
        var expected = IncidentStatuses.DecidedIn(body.ForApply);
        if (incident.Status != expected || (body.ForApply && decision == ApprovalDecision.Regenerate))
        {
            return Conflict("Not awaiting this decision", $"The incident is {incident.Status}; {(body.ForApply ? "apply approvals" : "decisions")} are taken in {expected}.");
        }

        if (ApprovalPolicy.Refusal(incident, approver, decision, sha, body.ForApply) is { } refusal)
        {
            return Conflict(refusal.Title, refusal.Detail);
        }

        var decisionId = MessageIds.Derive(id, $"{approver}|{decision}|{sha}|{body.ForApply}");
        var message = new SubmitApprovalDecision
        {
            IncidentId = id,
            Timestamp = DateTimeOffset.UtcNow,
            DecisionId = decisionId,
            Approver = approver,
            Decision = decision,
            Comment = body.Comment,
            PlaybookSha256 = sha,
            ForApply = body.ForApply,
        };
        if (await PublishAsync(bus, message, decisionId, loggers, ct) is { } failure)
        {
            return failure;
        }

        return Results.Accepted($"/api/incidents/{id}", new { decisionId, incidentId = id, decision = body.Decision!.ToLowerInvariant(), approver });
    }

    private static async Task<IResult> CabDecideAsync(Guid id, CabDecisionRequest body, ClaimsPrincipal user, IncidentReader reader, IPublishEndpoint bus, ILoggerFactory loggers, CancellationToken ct)
    {
        var who = user.Identity!.Name!;
        var changeRequest = string.IsNullOrWhiteSpace(body.ChangeRequestId) ? $"api:{who}" : body.ChangeRequestId;
        return await RecordCabAsync(id, body.Decision, body.PlaybookSha256, changeRequest, who, body.Comment, reader, bus, loggers, ct);
    }

    private static async Task<IResult> CabCallbackAsync(HttpContext http, IOptionsMonitor<ApprovalsOptions> options, IncidentReader reader, IPublishEndpoint bus, ILoggerFactory loggers, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        var raw = buffer.ToArray();
        var secret = options.CurrentValue.CabCallbackSecret;
        if (string.IsNullOrEmpty(secret) || !BodySignature.Matches(secret, raw, http.Request.Headers[SignatureHeader]))
        {
            return Results.Problem(statusCode: 401, title: "Bad signature", detail: $"{SignatureHeader} must be sha256=<hex HMAC-SHA256 of the body with the shared CAB secret>.");
        }

        CabCallback? callback;
        try
        {
            callback = JsonSerializer.Deserialize<CabCallback>(raw);
        }
        catch (JsonException e)
        {
            return Results.Problem(statusCode: 400, title: "Bad callback body", detail: e.Message);
        }

        if (callback is not { CorrelationId: { } id, ChangeRequestId: { Length: > 0 } changeRequest })
        {
            return Results.Problem(statusCode: 400, title: "Bad callback body", detail: "correlation_id (the incident id) and change_request_id are required.");
        }

        return await RecordCabAsync(id, callback.State, callback.PlaybookSha256, changeRequest, callback.DecidedBy ?? "cab", callback.Comment, reader, bus, loggers, ct);
    }

    private static async Task<IResult> RecordCabAsync(Guid id, string? state, string? sha, string changeRequest, string decidedBy, string? comment, IncidentReader reader, IPublishEndpoint bus, ILoggerFactory loggers, CancellationToken ct)
    {
        CabDecision decision;
        switch (state?.ToLowerInvariant())
        {
            case "approved" or "approve": decision = CabDecision.Approved; break;
            case "rejected" or "reject": decision = CabDecision.Rejected; break;
            default: return Results.Problem(statusCode: 400, title: "Bad CAB decision", detail: "the decision/state must be approved or rejected.");
        }

        if (await reader.GetAsync(id, ct) is not { } incident)
        {
            return NotFound(id);
        }

        var decisionId = MessageIds.Derive(id, $"cab|{changeRequest}");
        if (incident.Status != IncidentStatus.AwaitingCab)
        {
            // A CAB system retries callbacks; the one we already acted on is acknowledged, not refused.
            return string.Equals(incident.CabChangeRequestId, changeRequest, StringComparison.Ordinal)
                ? Results.Ok(new { decisionId, incidentId = id, duplicate = true })
                : Results.Problem(statusCode: 409, title: "No CAB decision pending", detail: $"The incident is {incident.Status}, not AwaitingCab.");
        }

        sha = (sha ?? incident.PlaybookSha256)?.ToLowerInvariant();
        if (sha is null || !string.Equals(sha, incident.PlaybookSha256, StringComparison.Ordinal))
        {
            return Results.Problem(statusCode: 409, title: "Playbook hash mismatch", detail: "The CAB decision names another playbook than the one under review.");
        }

        var message = new RecordCabDecision
        {
            IncidentId = id,
            Timestamp = DateTimeOffset.UtcNow,
            ChangeRequestId = changeRequest,
            Decision = decision,
            DecidedBy = decidedBy,
            Comment = comment,
            PlaybookSha256 = sha,
        };
        if (await PublishAsync(bus, message, decisionId, loggers, ct) is { } failure)
        {
            return failure;
        }

        return Results.Accepted($"/api/incidents/{id}", new { decisionId, incidentId = id, decision = decision.ToString().ToLowerInvariant() });
    }

    private static async Task<IResult?> PublishAsync<T>(IPublishEndpoint bus, T message, Guid messageId, ILoggerFactory loggers, CancellationToken ct)
        where T : class
    {
        try
        {
            // The saga's inbox drops a second message with the same id: identical decisions collapse to one.
            await bus.Publish(message, context => context.MessageId = messageId, ct);
            return null;
        }
        // A broker that vanished surfaces as a TaskCanceledException of its client: still a 503, only our own cancellation is not.
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(ApprovalEndpoints)).LogError(e, "Could not publish {MessageType} {MessageId}", typeof(T).Name, messageId);
            return Results.Problem(statusCode: 503, title: "Broker unavailable", detail: "The decision was not accepted; try again.");
        }
    }

    private static IResult Conflict(string title, string detail) => Results.Problem(statusCode: 409, title: title, detail: detail);

    private static IResult NotFound(Guid id) => Results.Problem(statusCode: 404, title: "No such incident", detail: $"Incident {id} does not exist.");
}
