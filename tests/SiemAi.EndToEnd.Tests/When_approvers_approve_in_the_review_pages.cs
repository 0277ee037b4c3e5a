using Microsoft.Playwright;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

/// <summary>Two approvers sign in to /review in headless Chromium and approve; the assembled host runs the check.</summary>
[Collection(StandInCollection.Name)]
public sealed class When_approvers_approve_in_the_review_pages(StandInPipelineFixture pipeline, ReviewBrowser browser) : IClassFixture<ReviewBrowser>
{
    [Fact]
    public async Task The_incident_reaches_a_check_run_and_the_page_shows_it()
    {
        var id = await pipeline.RaiseOnLabAsync($"review in the browser {Guid.NewGuid():N}");
        Assert.Equal("AwaitingApproval", await pipeline.WaitForStatusAsync(id, "AwaitingApproval", "Blocked", "Failed"));

        var alice = await browser.SignInAsync(pipeline.Host.ReviewAddress, pipeline.People["alice"].Key);
        await Assertions.Expect(alice.Locator($"a[href='/review/incidents/{id:D}']")).ToBeVisibleAsync();
        await ReviewBrowser.ApproveAsync(alice, id, "read-only triage, fine");
        var bob = await browser.SignInAsync(pipeline.Host.ReviewAddress, pipeline.People["bob"].Key);
        await ReviewBrowser.ApproveAsync(bob, id);

        var status = await pipeline.WaitForStatusAsync(id, "CheckSucceeded", "CheckFailed", "Failed");
        Assert.True(status == "CheckSucceeded", $"{status}: {await pipeline.LastEventDataAsync(id)}");
        Assert.Equal(
            [
                "alert_received", "playbook_generated", "playbook_verified", "approval_requested", "playbook_approved", "playbook_approved",
                "check_run_started", "check_run_completed", "incident_closed",
            ],
            await pipeline.StreamAsync(id));
        await alice.ReloadAsync();
        await Assertions.Expect(alice.Locator("#run-h + p")).ToContainTextAsync("succeeded");
        await Assertions.Expect(alice.Locator("#tl-h + table")).ToContainTextAsync("approver:alice");
        await Assertions.Expect(alice.Locator("#tl-h + table")).ToContainTextAsync("approver:bob");

        await pipeline.AssertTrailAsync(id, "CheckSucceeded");
    }
}
