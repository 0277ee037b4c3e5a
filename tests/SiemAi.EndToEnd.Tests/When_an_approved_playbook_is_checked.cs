using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// Alert → template playbook → safety gate → two approvers through the API → real ansible-playbook
/// --check --diff on the lab → results recorded → the trail verifies; all on the assembled host.
/// </summary>
public sealed class When_an_approved_playbook_is_checked(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task The_check_run_reports_its_changes_per_host_without_making_them()
    {
        // A "malware" file on the lab machine; the template would quarantine and delete it, but only checks.
        var malware = Path.Combine(pipeline.LabFiles, "dropper.bin");
        await File.WriteAllTextAsync(malware, "not really malware " + Guid.NewGuid());
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(malware)));
        var title = $"malware on lab {Guid.NewGuid():N}";
        var id = await pipeline.RaiseAsync(new { source = "clamav", title, severity = "high", host = "lab-target", ruleId = "52502", filePath = malware, fileHash = sha }, title);

        Assert.Equal("AwaitingApproval", await pipeline.WaitForStatusAsync(id, "AwaitingApproval", "Blocked", "Failed"));
        using var alice = pipeline.Api("alice");
        using var playbook = await alice.GetAsync($"api/incidents/{id}/playbook");
        var playbookSha = playbook.Headers.GetValues("X-Playbook-Sha256").Single();
        Assert.Contains(malware, await playbook.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await pipeline.ApproveAsync(id, playbookSha, "alice", "bob");

        var status = await pipeline.WaitForStatusAsync(id, "CheckSucceeded", "CheckFailed", "Failed");
        Assert.True(status == "CheckSucceeded", $"{status}: {await pipeline.LastEventDataAsync(id)}");
        var incident = await pipeline.IncidentAsync(id);
        var run = incident["checkRun"]!.AsObject();
        Assert.True(run["succeeded"]!.GetValue<bool>());
        var host = Assert.Single(run["hosts"]!.AsArray().OfType<JsonObject>());
        Assert.Equal("lab-target", host["host"]!.GetValue<string>());
        Assert.True(host["changed"]!.GetValue<int>() >= 2, $"expected the quarantine steps to report changes: {host}");
        Assert.Equal(0, host["failed"]!.GetValue<int>());

        // Check mode: the file is where it was, nothing was quarantined.
        Assert.True(File.Exists(malware));
        Assert.False(File.Exists($"/var/lib/siemai/quarantine/{sha}.bin"));

        var stream = await pipeline.StreamAsync(id);
        Assert.Equal(1, stream.Count(t => t == "check_run_started"));
        Assert.Equal(1, stream.Count(t => t == "check_run_completed"));
        var replay = await pipeline.AssertTrailAsync(id, "CheckSucceeded");
        Assert.Equal(playbookSha, replay["playbook_sha256"]!.GetValue<string>());
    }
}
