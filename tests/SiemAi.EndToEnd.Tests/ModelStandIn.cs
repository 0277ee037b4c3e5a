using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SiemAi.Testing;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// Plays the LLM vendor for the assembled host. It reads the prompt the host sent and answers by a marker in
/// the alert's title: a playbook the safety gate must block, a high-risk one (CAB review), one whose check run
/// fails on the lab; anything else gets a read-only triage playbook, whose revision counts the prompts for
/// that incident (a regeneration gets different bytes, as a real model's second answer would).
/// </summary>
public sealed partial class ModelStandIn
{
    public const string Dangerous = "model-dangerous";
    public const string HighRisk = "model-high-risk";
    public const string FailsInCheck = "model-fails-in-check";

    /// <summary>The account the high-risk playbook locks: it does not exist, and a check run must not create it.</summary>
    public const string Account = "siemai-e2e-intruder";

    /// <summary>Where the failing playbook requires a file that is never there.</summary>
    public const string MissingFile = "/var/tmp/siemai-e2e-missing/dropper.bin";

    private readonly ConcurrentDictionary<string, int> prompts = new();

    public (int Status, string Body, TimeSpan Delay) Answer(FakeLlmServer.Received request, int number)
    {
        var prompt = JsonNode.Parse(request.Body)?["messages"]?[1]?["content"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"request {number} is not a chat completion request: {request.Body}");
        var incident = IncidentLine().Match(prompt).Groups["id"].Value;
        var revision = prompts.AddOrUpdate(incident, 1, (_, n) => n + 1);
        var playbook = prompt.Contains(Dangerous, StringComparison.Ordinal) ? DeletesTheLogs
            : prompt.Contains(HighRisk, StringComparison.Ordinal) ? LocksTheAccount
            : prompt.Contains(FailsInCheck, StringComparison.Ordinal) ? RequiresAMissingFile
            : Triage(revision);
        return FakeLlmServer.Answer($"Here is the playbook.\n```yaml\n{playbook}\n```");
    }

    private const string DeletesTheLogs = """
        - name: Contain the intrusion on lab-target
          hosts: lab-target
          gather_facts: false
          tasks:
            - name: Remove the logs the attacker touched
              ansible.builtin.file:
                path: /var/log
                state: absent
        """;

    private const string LocksTheAccount = $"""
        - name: Lock the compromised account on lab-target
          hosts: lab-target
          gather_facts: false
          tasks:
            - name: Lock the account's password
              ansible.builtin.user:
                name: {Account}
                state: present
                password_lock: true
        """;

    private const string RequiresAMissingFile = $"""
        - name: Quarantine the dropped binary on lab-target
          hosts: lab-target
          gather_facts: false
          tasks:
            - name: Find the dropped binary
              ansible.builtin.stat:
                path: {MissingFile}
              register: dropper
            - name: Require the binary where the alert says it is
              ansible.builtin.assert:
                that:
                  - dropper.stat.exists
                fail_msg: the dropped binary is not where the alert says
        """;

    private static string Triage(int revision) => $"""
        - name: Triage on lab-target (revision {revision})
          hosts: lab-target
          gather_facts: false
          tasks:
            - name: Look at the host name file
              ansible.builtin.stat:
                path: /etc/hostname
            - name: Record the triage
              ansible.builtin.debug:
                msg: triage revision {revision}
        """;

    [GeneratedRegex(@"^Incident id: (?<id>\S+)$", RegexOptions.Multiline)]
    private static partial Regex IncidentLine();
}
