namespace SiemAi.Incidents.Tests;

public static class Playbooks
{
    /// <summary>A small playbook whose bytes (and so hash) differ per attempt and regeneration.</summary>
    public static string BlockIp(int attempt, int regeneration) =>
        $"""
        # attempt {attempt}, regeneration {regeneration}
        - name: Block 203.0.113.7 on web-01
          hosts: web-01
          become: true
          tasks:
            - name: Drop traffic from the attacker
              ansible.builtin.iptables:
                chain: INPUT
                source: 203.0.113.7
                jump: DROP

        """;
}
