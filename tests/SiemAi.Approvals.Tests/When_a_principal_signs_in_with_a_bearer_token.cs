using System.Net;
using System.Net.Http.Json;

namespace SiemAi.Approvals.Tests;

[Collection(ApprovalsCollection.Name)]
public sealed class When_a_principal_signs_in_with_a_bearer_token(ApprovalsFixture fixture)
{
    private HttpClient Bearer(string token)
    {
        var http = fixture.Client();
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    [Fact]
    public async Task Lets_an_approver_from_the_identity_provider_approve_under_their_subject()
    {
        var (id, sha) = await fixture.NewIncidentAsync("jwt approver");
        using var erin = Bearer(TestTokens.Issue("erin", "approver"));
        using var response = await erin.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await fixture.WaitAsync(async () => await fixture.CountEventsAsync(id, "playbook_approved", "erin") == 1 ? "yes" : null, "erin's approval");
    }

    [Fact]
    public async Task Refuses_a_service_subject_as_approver_before_anything_is_sent()
    {
        // The rule DecisionGuard had lost: a service (the generator included) is never an approver, whatever role its token claims.
        var (id, sha) = await fixture.NewIncidentAsync("service approver");
        using var service = Bearer(TestTokens.Issue("service:generator:llm:gpt", "approver"));
        using var response = await service.PostAsJsonAsync($"api/incidents/{id}/decisions", new { decision = "approve", playbookSha256 = sha });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Service approver", (string?)(await ApprovalsFixture.ProblemAsync(response))["title"]);
        Assert.Equal(0, await fixture.CountEventsAsync(id, "decision_rejected"));
        Assert.Equal(0, await fixture.CountEventsAsync(id, "playbook_approved"));
    }

    [Fact]
    public async Task Refuses_tokens_signed_with_another_key_or_for_another_audience_and_roles_it_lacks()
    {
        using var forged = Bearer(TestTokens.Issue("erin", "approver", key: "some-other-key-of-sufficient-length-000000"));
        using var byForged = await forged.GetAsync("api/incidents");
        Assert.Equal(HttpStatusCode.Unauthorized, byForged.StatusCode);
        await ApprovalsFixture.ProblemAsync(byForged);

        using var elsewhere = Bearer(TestTokens.Issue("erin", "approver", audience: "another-app"));
        using var byAudience = await elsewhere.GetAsync("api/incidents");
        Assert.Equal(HttpStatusCode.Unauthorized, byAudience.StatusCode);

        using var auditor = Bearer(TestTokens.Issue("frank", "auditor"));
        using var reads = await auditor.GetAsync("api/incidents");
        Assert.Equal(HttpStatusCode.OK, reads.StatusCode);
        using var decides = await auditor.PostAsJsonAsync($"api/incidents/{Guid.NewGuid()}/decisions", new { decision = "approve", playbookSha256 = new string('a', 64) });
        Assert.Equal(HttpStatusCode.Forbidden, decides.StatusCode);
        await ApprovalsFixture.ProblemAsync(decides);
    }
}
