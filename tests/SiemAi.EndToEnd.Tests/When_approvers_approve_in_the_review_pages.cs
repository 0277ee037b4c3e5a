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
        await pipeline.UnderReviewAsync(id);

        var alice = await browser.SignInAsync(pipeline.Host.ReviewAddress, pipeline.People["alice"].Key);
        await Assertions.Expect(alice.Locator($"a[href='/review/incidents/{id:D}']")).ToBeVisibleAsync();
        await ReviewBrowser.ApproveAsync(alice, id, "read-only triage, fine");
        var bob = await browser.SignInAsync(pipeline.Host.ReviewAddress, pipeline.People["bob"].Key);
        await ReviewBrowser.ApproveAsync(bob, id);

        await pipeline.ReachesAsync(id, "CheckSucceeded", "CheckFailed", "Failed");
        Assert.Equal(
            [.. IncidentStreams.UnderReview, "playbook_approved", "playbook_approved", .. IncidentStreams.Checked],
            await pipeline.StreamAsync(id));
        await alice.ReloadAsync();
        await Assertions.Expect(alice.Locator("#run-h + p")).ToContainTextAsync("succeeded");
        await Assertions.Expect(alice.Locator("#tl-h + table")).ToContainTextAsync("approver:alice");
        await Assertions.Expect(alice.Locator("#tl-h + table")).ToContainTextAsync("approver:bob");

        await pipeline.AssertTrailAsync(id, "CheckSucceeded");
    }
}
