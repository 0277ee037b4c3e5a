using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SiemAi.Contracts;

namespace SiemAi.Runner;

/// <summary>
/// The archive of approved playbooks: <c>&lt;sha256&gt;.yml</c> holds the exact approved bytes and
/// <c>&lt;sha256&gt;.json</c> records, per incident and mode, the safety verdict and who approved it.
/// </summary>
internal sealed class PlaybookLibrary(string directory)
{
    // Sidecars are read-modified-written; one writer at a time in this process (the file rename keeps readers safe).
    private static readonly SemaphoreSlim SidecarLock = new(1, 1);

    private static readonly JsonSerializerOptions SidecarJson = new() { WriteIndented = true };

    public string Directory => directory;

    public async Task ArchiveAsync(RunPlaybook command, RunApproval approval, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(directory);
        var sha = command.PlaybookSha256;
        await ContentFile.WriteOnceAsync(Path.Combine(directory, sha + ".yml"), Encoding.UTF8.GetBytes(command.PlaybookYaml), ct);

        var sidecarPath = Path.Combine(directory, sha + ".json");
        await SidecarLock.WaitAsync(ct);
        try
        {
            var sidecar = File.Exists(sidecarPath)
                ? JsonNode.Parse(await File.ReadAllTextAsync(sidecarPath, ct)) as JsonObject ?? new JsonObject()
                : new JsonObject();
            sidecar["playbook_sha256"] = sha;
            if (sidecar["approvals"] is not JsonArray approvals)
            {
                approvals = [];
                sidecar["approvals"] = approvals;
            }

            var incident = command.IncidentId.ToString("D");
            var mode = command.Mode == RunMode.Apply ? "apply" : "check";
            if (approvals.OfType<JsonObject>().Any(a => (string?)a["incident_id"] == incident && (string?)a["mode"] == mode))
            {
                return;
            }

            approvals.Add(new JsonObject
            {
                ["incident_id"] = incident,
                ["mode"] = mode,
                ["verdict"] = approval.Verdict,
                ["risk"] = approval.Risk,
                ["approvers"] = new JsonArray(approval.Approvers.Select(a => (JsonNode?)a).ToArray()),
                ["apply_approvers"] = new JsonArray(approval.ApplyApprovers.Select(a => (JsonNode?)a).ToArray()),
                ["archived_at"] = DateTimeOffset.UtcNow.ToString("O"),
            });
            await ContentFile.ReplaceAsync(sidecarPath, JsonSerializer.SerializeToUtf8Bytes(sidecar, SidecarJson), ct);
        }
        finally
        {
            SidecarLock.Release();
        }
    }
}
