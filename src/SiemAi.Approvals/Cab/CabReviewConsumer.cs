using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiemAi.Approvals.Api;
using SiemAi.Contracts;

namespace SiemAi.Approvals.Cab;

/// <summary>
/// Opens a change request with the CAB (ServiceNow-style JSON) for a high-risk playbook. The HTTP client retries
/// transient failures; if the CAB stays unreachable the message faults and lands in the error queue, so the request
/// is never silently lost.
/// </summary>
public sealed class CabReviewConsumer(IHttpClientFactory http, IOptionsMonitor<ApprovalsOptions> options, IncidentReader reader, ILogger<CabReviewConsumer> logger)
    : IConsumer<RequestCabReview>
{
    public const string HttpClientName = "cab-webhook";

    public async Task Consume(ConsumeContext<RequestCabReview> context)
    {
        var m = context.Message;
        var settings = options.CurrentValue;
        if (settings.CabWebhook is null)
        {
            logger.LogWarning("Incident {IncidentId} needs a CAB decision but CAB_WEBHOOK is not set; decide through POST /api/incidents/{IncidentId}/cab", m.IncidentId, m.IncidentId);
            return;
        }

        var incident = await reader.GetAsync(m.IncidentId, context.CancellationToken);
        var hosts = incident?.Data["lastRunHosts"] as JsonArray;
        var baseUrl = settings.BaseUrl.ToString().TrimEnd('/');
        var changeRequest = new JsonObject
        {
            ["short_description"] = $"SiemAi remediation: {m.Title}",
            ["description"] = $"Approved by {string.Join(", ", m.Approvers)}; playbook sha256 {m.PlaybookSha256}. Dry-run (check mode) follows the CAB approval.",
            ["type"] = "normal",
            ["category"] = "security",
            ["risk"] = m.Risk.ToString().ToLowerInvariant(),
            ["correlation_id"] = m.IncidentId.ToString("D"),
            ["correlation_display"] = "SiemAi",
            ["u_playbook_sha256"] = m.PlaybookSha256,
            ["u_approvers"] = new JsonArray([.. m.Approvers.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["u_check_run_summary"] = hosts is { Count: > 0 }
                ? string.Join("; ", hosts.OfType<JsonObject>().Select(h => $"{h["host"]}: ok={h["ok"]} changed={h["changed"]} failed={h["failed"]}"))
                : "no check run yet: the check (dry) run starts after the CAB approves",
            ["u_links"] = new JsonObject
            {
                ["incident"] = $"{baseUrl}/api/incidents/{m.IncidentId:D}",
                ["playbook"] = $"{baseUrl}/api/incidents/{m.IncidentId:D}/playbook",
                ["callback"] = $"{baseUrl}/api/cab/callback",
            },
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.CabWebhook) { Content = JsonContent.Create(changeRequest) };
        // Lets the CAB system drop a change request we send twice after a redelivery.
        request.Headers.TryAddWithoutValidation("Idempotency-Key", (context.MessageId ?? m.IncidentId).ToString("D"));
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, context.CancellationToken);
        response.EnsureSuccessStatusCode();
        logger.LogInformation("Change request opened for incident {IncidentId} (risk {Risk}, HTTP {Status})", m.IncidentId, m.Risk, (int)response.StatusCode);
    }
}
