using System.Net;
using Microsoft.Playwright;
using SiemAi.Testing;

namespace SiemAi.Approvals.Tests;

/// <summary>The review UI in headless Chromium against the real host: sign in, queue, incident page, decisions.</summary>
[Collection(ApprovalsCollection.Name)]
public sealed class When_approvers_use_the_review_pages(ApprovalsFixture fixture, ReviewBrowser browser) : IClassFixture<ReviewBrowser>
{
    [Fact]
    public async Task Two_approvers_approve_in_the_browser_and_the_incident_moves_on()
    {
        var (id, sha) = await fixture.NewIncidentAsync("review ui");

        var alice = await browser.SignInAsync(fixture.ReviewUrl, fixture.Keys["alice"]);
        await Assertions.Expect(alice.GetByRole(AriaRole.Heading, new() { Name = "Awaiting decision" })).ToBeVisibleAsync();
        await alice.Locator($"a[href='/review/incidents/{id:D}']").ClickAsync();
        await Assertions.Expect(alice.Locator("code").Filter(new() { HasText = sha })).ToBeVisibleAsync();
        await alice.GetByLabel("Approve", new() { Exact = true }).CheckAsync();
        await alice.GetByLabel("Comment").FillAsync("blocks the attacker only");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Submit decision" }).ClickAsync();
        await Assertions.Expect(alice.GetByRole(AriaRole.Status)).ToContainTextAsync("Your decision (approve) was recorded.");
        await fixture.WaitAsync(async () => await fixture.CountEventsAsync(id, "playbook_approved", "alice") == 1 ? "yes" : null, "alice's approval");

        var bob = await browser.SignInAsync(fixture.ReviewUrl, fixture.Keys["bob"]);
        await ReviewBrowser.ApproveAsync(bob, id);

        Assert.Equal("AwaitingCab", await fixture.WaitForStatusAsync(id, "AwaitingCab", "Approved", "CheckRunning"));
        Assert.Equal(1, await fixture.CountEventsAsync(id, "playbook_approved", "alice"));
        Assert.Equal(1, await fixture.CountEventsAsync(id, "playbook_approved", "bob"));
        await bob.ReloadAsync();
        await Assertions.Expect(bob.Locator("#tl-h + table")).ToContainTextAsync("approver:alice");
        await Assertions.Expect(bob.Locator("#tl-h + table")).ToContainTextAsync("approver:bob");
    }

    [Fact]
    public async Task A_second_approval_by_the_same_person_shows_the_refusal_and_records_nothing()
    {
        var (id, _) = await fixture.NewIncidentAsync("review ui twice");
        var alice = await browser.SignInAsync(fixture.ReviewUrl, fixture.Keys["alice"]);
        await alice.GotoAsync($"review/incidents/{id:D}");
        await alice.GetByLabel("Approve", new() { Exact = true }).CheckAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Submit decision" }).ClickAsync();
        await fixture.WaitAsync(async () => await fixture.CountEventsAsync(id, "playbook_approved", "alice") == 1 ? "yes" : null, "alice's approval");

        await alice.GotoAsync($"review/incidents/{id:D}");
        await alice.GetByLabel("Approve", new() { Exact = true }).CheckAsync();
        var response = await alice.RunAndWaitForResponseAsync(
            () => alice.GetByRole(AriaRole.Button, new() { Name = "Submit decision" }).ClickAsync(),
            r => r.Url.EndsWith("/decisions", StringComparison.Ordinal));

        Assert.Equal(409, response.Status);
        await Assertions.Expect(alice.GetByRole(AriaRole.Alert)).ToContainTextAsync("Already approved");
        Assert.Equal(1, await fixture.CountEventsAsync(id, "playbook_approved", "alice"));
    }

    [Fact]
    public async Task The_queue_needs_a_sign_in_and_a_bad_key_is_refused()
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = fixture.ReviewUrl.ToString(), JavaScriptEnabled = false });
        var page = await context.NewPageAsync();

        await page.GotoAsync("review");
        Assert.EndsWith("/review/login", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Your approver API key").FillAsync("not-a-key");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Url.EndsWith("/review/login", StringComparison.Ordinal) && r.Request.Method == "POST");

        Assert.Equal(401, response.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "siemai_review_key");
    }

    [Fact]
    public async Task A_decision_posted_without_the_form_token_is_refused_and_not_recorded()
    {
        var (id, sha) = await fixture.NewIncidentAsync("review csrf");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.ReviewUrl };
        http.DefaultRequestHeaders.Add("Cookie", $"siemai_review_key={fixture.Keys["alice"]}");

        using var response = await http.PostAsync($"review/incidents/{id:D}/decisions", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["decision"] = "approve",
            ["playbookSha256"] = sha,
            ["forApply"] = "false",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.Equal(0, await fixture.CountEventsAsync(id, "playbook_approved"));
    }

    [Fact]
    public async Task An_auditor_reads_the_incident_but_gets_no_decision_form_and_a_403_when_posting()
    {
        var (id, sha) = await fixture.NewIncidentAsync("review auditor");
        var dave = await browser.SignInAsync(fixture.ReviewUrl, fixture.Keys["dave"]);
        await dave.GotoAsync($"review/incidents/{id:D}");
        await Assertions.Expect(dave.GetByRole(AriaRole.Heading, new() { Name = "Audit timeline" })).ToBeVisibleAsync();
        Assert.Equal(0, await dave.GetByRole(AriaRole.Button, new() { Name = "Submit decision" }).CountAsync());

        // The auditor's own session and form token, posting what an approver's form would.
        var token = await dave.Locator("form[action='/review/logout'] input[name='__csrf']").GetAttributeAsync("value");
        var response = await dave.APIRequest.PostAsync($"review/incidents/{id:D}/decisions", new()
        {
            Form = dave.APIRequest.CreateFormData().Set("__csrf", token!).Set("decision", "approve").Set("playbookSha256", sha).Set("forApply", "false"),
        });

        Assert.Equal(403, response.Status);
        Assert.Contains("Only approvers can decide", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.CountEventsAsync(id, "playbook_approved"));
    }
}
