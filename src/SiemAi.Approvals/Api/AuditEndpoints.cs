using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SiemAi.Approvals.Security;
using SiemAi.Audit;
using SiemAi.EventStore;

namespace SiemAi.Approvals.Api;

/// <summary>
/// The auditor's questions over HTTP, answered from the event stream alone (never the read model):
/// an incident replayed as of a version or a time, the hash chains verified, the store's digest.
/// Same logic and JSON as <c>siemai audit replay|verify|digest --json</c>.
/// </summary>
public static class AuditEndpoints
{
    public static void MapAuditApi(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("audit").RequireAuthorization(Roles.AuditPolicy);
        audit.MapGet("/incidents/{id:guid}", ReplayAsync);
        audit.MapGet("/verify", VerifyAsync);
        audit.MapGet("/digest", DigestAsync);
    }

    private static async Task<IResult> ReplayAsync(Guid id, string? version, string? at, PostgresEventStore store, CancellationToken ct)
    {
        long? upTo = null;
        if (version is not null)
        {
            if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1)
            {
                return BadParameter("version", "version must be a whole number of 1 or more.");
            }

            upTo = v;
        }

        DateTimeOffset? asOf = null;
        if (at is not null)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            {
                return BadParameter("at", "at must be an ISO 8601 time, e.g. 2026-11-24T10:00:00Z.");
            }

            asOf = t;
        }

        if (upTo is not null && asOf is not null)
        {
            return BadParameter("version", "give version or at, not both.");
        }

        var state = await IncidentReplay.ReplayAsync(store, $"{IncidentReplay.StreamPrefix}{id:D}", upTo, asOf, ct);
        return state is null
            ? Results.Problem(statusCode: 404, title: "No such incident", detail: $"Incident {id} has no events{(asOf is null ? string.Empty : " at or before " + asOf.Value.ToString("O", CultureInfo.InvariantCulture))}.")
            : Results.Json(state, IncidentReplay.Json);
    }

    private static async Task<IResult> VerifyAsync(string? stream, PostgresEventStore store, CancellationToken ct)
    {
        if (stream is not null && !IncidentReplay.TryParseStreamId(stream, out stream))
        {
            return BadParameter("stream", "stream must be an incident GUID or incident-<GUID>.");
        }

        var report = await new EventStoreVerifier(store.DataSource).VerifyAsync(stream, ct: ct);
        return Results.Json(AuditReports.Verification(report), IncidentReplay.Json);
    }

    private static async Task<IResult> DigestAsync(string? asOf, PostgresEventStore store, CancellationToken ct)
    {
        long? sequence = null;
        if (asOf is not null)
        {
            if (!long.TryParse(asOf, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s < 1)
            {
                return BadParameter("asOf", "asOf must be a global sequence number of 1 or more.");
            }

            sequence = s;
        }

        var digest = await new EventStoreVerifier(store.DataSource).DigestAsync(sequence, ct: ct);
        return Results.Json(AuditReports.Digest(digest), IncidentReplay.Json);
    }

    private static IResult BadParameter(string name, string detail) =>
        Results.Problem(statusCode: 400, title: $"Bad parameter '{name}'", detail: detail, extensions: new Dictionary<string, object?> { ["parameter"] = name });
}
