using System.Text.Json;
using SiemAi.Contracts;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// The assembled host with the parties outside our control played on loopback: the LLM (MODEL_MODE=remote
/// against <see cref="ModelStandIn"/>) and ServiceNow's change-request API (<see cref="CabWebhookServer"/>,
/// answered through the HMAC-signed callback). Low-severity approvals expire after a few seconds, and a third
/// approver (carol) lets one person regenerate while two others approve. One host for every path that needs these.
/// </summary>
public sealed class StandInPipelineFixture : PipelineFixture
{
    private readonly ModelStandIn standIn = new();

    public StandInPipelineFixture()
    {
        People["carol"] = ("carol-" + Guid.NewGuid().ToString("N"), "approver");
        Model = new FakeLlmServer(standIn.Answer);
    }

    public FakeLlmServer Model { get; }
    public CabWebhookServer Cab { get; } = new();
    public string CabSecret { get; } = "cab-secret-" + Guid.NewGuid().ToString("N");

    /// <summary>The approval deadline of low-severity alerts here.</summary>
    public static TimeSpan LowDeadline { get; } = TimeSpan.FromSeconds(5);

    protected override string Label => "standin";

    protected override void Configure(Dictionary<string, string> environment)
    {
        environment["MODEL_MODE"] = "remote";
        environment["LLM_ENDPOINT"] = Model.Endpoint.ToString();
        environment["LLM_MODEL"] = "stand-in-model";
        environment["LLM_API_KEY"] = "llm-key-" + Guid.NewGuid().ToString("N");
        environment["CAB_WEBHOOK"] = Cab.Url.ToString();
        environment["CAB_CALLBACK_SECRET"] = CabSecret;
        environment["Incidents__ApprovalDeadlines__Low"] = LowDeadline.ToString("c");
    }

    /// <summary>The CAB system's answer, signed as ServiceNow's business rule would sign it.</summary>
    public async Task<HttpResponseMessage> CabCallbackAsync(Guid id, string changeRequestId, string state, string sha, string comment)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new
        {
            change_request_id = changeRequestId,
            correlation_id = id,
            state,
            decided_by = "cab-chair",
            comment,
            playbook_sha256 = sha,
        });
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/cab/callback") { Content = content };
        request.Headers.Add("X-SiemAi-Signature", BodySignature.Sign(CabSecret, bytes));
        using var anonymous = new HttpClient { BaseAddress = Host.ReviewAddress, Timeout = TimeSpan.FromSeconds(60) };
        return await anonymous.SendAsync(request);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
        await Cab.DisposeAsync();
    }
}
