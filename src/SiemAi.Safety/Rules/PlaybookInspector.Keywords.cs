using System.Text.RegularExpressions;
using SiemAi.Contracts;
using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>Rules on play, block and task keywords, on targets, and on every scalar of the document.</summary>
internal sealed partial class PlaybookInspector
{
    private static readonly HashSet<string> InjectedEnvironment = new(StringComparer.OrdinalIgnoreCase)
    {
        "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "PATH", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "BASH_ENV", "ENV",
        "PERL5OPT", "PERL5LIB", "RUBYOPT", "NODE_OPTIONS", "http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_NO_VERIFY", "PYTHONHTTPSVERIFY",
    };

    private static readonly HashSet<string> SafeConnections = ["ssh", "smart", "paramiko", "paramiko_ssh"];

    /// <summary>The only accounts <c>become_user</c> may name (the shipped profile: root, which <c>become: true</c> means anyway).</summary>
    private static readonly HashSet<string> BecomeUsers = ["root"];

    /// <summary>Keywords whose value must be a literal boolean (YAML true/false), never a template.</summary>
    private static readonly HashSet<string> LiteralBooleanKeywords = ["gather_facts", "become", "diff", "any_errors_fatal", "force_handlers", "run_once", "ignore_errors", "no_log", "ignore_unreachable"];

    private void CheckKeywords(MappingNode map, string path, VariableScope scope)
    {
        foreach (var keyword in LiteralBooleanKeywords)
        {
            if (map[keyword] is { } flag && (flag is not ScalarNode { Plain: true } b || AnsibleValues.Boolean(b.Value) is null || b.Value is "0" or "1"))
            {
                Block(SafetyRules.KeywordNotAllowed, $"{path}.{keyword}", $"'{keyword}' must be a literal true or false.", flag.Line);
            }
        }
        if (map["become"] is ScalarNode { Plain: true } becomeFlag && AnsibleValues.Boolean(becomeFlag.Value) == false)
        {
            Block(SafetyRules.KeywordNotAllowed, $"{path}.become", "become may only be 'true' (leave it out otherwise).", becomeFlag.Line);
        }
        if (map["become_user"] is { } becomeUser && (becomeUser is not ScalarNode bu || bu.Unsafe || Jinja.IsTemplated(bu.Value) || !BecomeUsers.Contains(bu.Value)))
        {
            Block(SafetyRules.KeywordNotAllowed, $"{path}.become_user",
                $"become_user may only be {string.Join(", ", BecomeUsers)}; other accounts (or a template) reach sudo's command line.", becomeUser.Line);
        }
        foreach (var entry in map.Entries.Where(e => e.Key.StartsWith("become_", StringComparison.Ordinal) && e.Key != "become_user"))
        {
            Block(entry.Key == "become_exe" ? SafetyRules.ConnectionOverride : SafetyRules.KeywordNotAllowed, $"{path}.{entry.Key}",
                $"'{entry.Key}' changes how privileges are gained (sudo's method, flags or program); only become and become_user are allowed.", entry.Line);
        }
        foreach (var keyword in new[] { "remote_user", "port", "collections", "serial", "strategy", "throttle", "order", "timeout", "async", "poll", "debugger" })
        {
            if (map[keyword] is { } value)
            {
                Block(SafetyRules.KeywordNotAllowed, $"{path}.{keyword}", $"'{keyword}' is not part of the remediation profile.", value.Line);
            }
        }
        if (map["loop_control"] is { } loopControl)
        {
            CheckLoopControl(loopControl, $"{path}.loop_control");
        }
        if (map["args"] is { } argsKeyword && argsKeyword is not MappingNode)
        {
            Block(SafetyRules.ArgumentSplatting, $"{path}.args", "args must be a literal mapping; a template would supply arguments the gate never sees.", argsKeyword.Line);
        }
        foreach (var keyword in BareExpressionKeywords)
        {
            if (map[keyword] is { } expression)
            {
                CheckBareExpression(expression, $"{path}.{keyword}");
            }
        }
        if (map["check_mode"] is { } checkMode)
        {
            var value = scope.Resolve(checkMode);
            var asBool = AnsibleValues.Boolean(value.Literal);
            if (asBool != true)
            {
                Block(SafetyRules.CheckModeDisabled, $"{path}.check_mode", asBool == false
                    ? "check_mode is turned off, so this part changes hosts even in the dry run reviewers approve."
                    : $"check_mode is '{value.Text}', which the gate cannot prove is on.", checkMode.Line);
            }
        }
        if (map["environment"] is { } environment)
        {
            CheckEnvironment(scope.Resolve(environment), $"{path}.environment", environment.Line);
        }
        if (map["connection"] is { } connection)
        {
            var value = scope.Resolve(connection).Literal;
            if (value is not null && LocalHosts.Contains(value) || value == "local")
            {
                Block(SafetyRules.ControllerExecution, $"{path}.connection", "connection: local runs the tasks on the SiemAi host itself.", connection.Line);
            }
            else if (value is null || !SafeConnections.Contains(value))
            {
                Block(SafetyRules.ConnectionOverride, $"{path}.connection", $"Connection '{value ?? "(templated)"}' is not SSH; it changes how and where tasks run.", connection.Line);
            }
        }
        if (map["become_exe"] is { } becomeExe)
        {
            Block(SafetyRules.ConnectionOverride, $"{path}.become_exe", "become_exe replaces sudo with another program.", becomeExe.Line);
        }
        if (map["vars"] is MappingNode vars)
        {
            foreach (var entry in vars.Entries.Where(e => e.Key.StartsWith("ansible_", StringComparison.Ordinal)))
            {
                Block(SafetyRules.ConnectionOverride, $"{path}.vars.{entry.Key}",
                    $"'{entry.Key}' overrides connection or interpreter settings that decide where and how tasks run.", entry.Line);
            }
        }
        else if (map["vars"] is { } otherVars && !IsEmpty(otherVars))
        {
            Block(SafetyRules.PlaybookShape, $"{path}.vars", "vars must be a mapping.", otherVars.Line);
        }
        if (map["module_defaults"] is { } defaults && !IsEmpty(defaults))
        {
            Block(SafetyRules.ModuleDefaults, $"{path}.module_defaults",
                "module_defaults changes the arguments of tasks away from where reviewers read them.", defaults.Line);
        }
        if (map["delegate_to"] is { } delegateTo)
        {
            CheckTarget(scope.Resolve(delegateTo), $"{path}.delegate_to", delegateTo.Line, "delegate_to");
        }
        if (map["debugger"] is ScalarNode debugger && debugger.Value != "never")
        {
            Block(SafetyRules.InteractivePrompt, $"{path}.debugger", "The debugger waits for a person at a terminal; the runner has none.", debugger.Line);
        }
        if (map["strategy"] is ScalarNode { Value: "debug" } strategy)
        {
            Block(SafetyRules.InteractivePrompt, $"{path}.strategy", "The debug strategy waits for a person at a terminal.", strategy.Line);
        }
        if (map["no_log"] is { } noLog && AnsibleValues.Boolean(scope.Resolve(noLog).Literal) != false)
        {
            Warn(SafetyRules.NoLog, $"{path}.no_log", "no_log hides this part's results from the check run that reviewers read.", noLog.Line);
        }
        if (map["ignore_errors"] is { } ignore && AnsibleValues.Boolean(scope.Resolve(ignore).Literal) != false)
        {
            Warn(SafetyRules.IgnoresErrors, $"{path}.ignore_errors", "Errors are ignored, so a failed step does not stop the steps after it.", ignore.Line);
        }
        if (map["become"] is { } become && AnsibleValues.Boolean(scope.Resolve(become).Literal) != false)
        {
            Raise(RiskLevel.Medium);
        }
    }

    private void CheckLoopControl(Node node, string path)
    {
        if (node is not MappingNode control)
        {
            Block(SafetyRules.KeywordNotAllowed, path, "loop_control must be a literal mapping.", node.Line);
            return;
        }
        foreach (var entry in control.Entries)
        {
            switch (entry.Key)
            {
                case "loop_var" or "index_var":
                    if (entry.Value is not ScalarNode { Plain: true } name || !Identifier().IsMatch(name.Value) || name.Value.StartsWith("ansible_", StringComparison.Ordinal))
                    {
                        Block(SafetyRules.KeywordNotAllowed, $"{path}.{entry.Key}",
                            $"{entry.Key} must be a plain name that is not ansible_* (an ansible_ loop variable overrides connection or interpreter settings).", entry.Line);
                    }
                    break;
                case "label":
                case "pause" when entry.Value is ScalarNode:
                    break;
                default:
                    Block(SafetyRules.KeywordNotAllowed, $"{path}.{entry.Key}", $"loop_control.{entry.Key} is not part of the remediation profile.", entry.Line);
                    break;
            }
        }
    }

    private InventoryView? _inventory;

    private void CheckEnvironment(ArgValue environment, string path, int line)
    {
        if (environment.IsUnresolved || environment.Node is SequenceNode || environment.Node is ScalarNode && environment.IsLiteral)
        {
            Block(SafetyRules.UnresolvedValue, path, "The environment cannot be read as one literal mapping.", line);
            return;
        }
        if (environment.Node is not MappingNode env)
        {
            return;
        }
        foreach (var entry in env.Entries)
        {
            if (InjectedEnvironment.Contains(entry.Key) || !options.AllowedEnvironment.Contains(entry.Key))
            {
                Block(SafetyRules.EnvironmentInjection, $"{path}.{entry.Key}", InjectedEnvironment.Contains(entry.Key)
                    ? $"Setting {entry.Key} changes which code runs, or where traffic and trust go, on the managed host."
                    : $"'{entry.Key}' is not on the vetted environment list ({string.Join(", ", options.AllowedEnvironment)}).", entry.Line);
            }
            else if (entry.Value is not ScalarNode value || value.Unsafe is false && Jinja.IsTemplated(value.Value))
            {
                Block(SafetyRules.EnvironmentInjection, $"{path}.{entry.Key}", $"{entry.Key} must be a literal value.", entry.Line);
            }
        }
    }

    private void CheckHosts(Node hosts, string path, VariableScope scope)
    {
        var patterns = new List<(string Text, int Line)>();
        var value = scope.Resolve(hosts);
        if (value.IsUnresolved)
        {
            Block(SafetyRules.UnresolvedValue, path, $"hosts is '{value.Text}', which the gate cannot resolve to the hosts it targets.", hosts.Line);
            return;
        }
        if (value.Node is SequenceNode seq)
        {
            foreach (var item in seq.Items)
            {
                var resolved = scope.Resolve(item);
                if (resolved.Literal is null)
                {
                    Block(SafetyRules.UnresolvedValue, path, $"A host pattern '{resolved.Text}' cannot be resolved.", item.Line);
                    continue;
                }
                patterns.Add((resolved.Literal, item.Line));
            }
        }
        else if (value.Literal is { } text)
        {
            patterns.Add((text, hosts.Line));
        }
        var positive = patterns
            .SelectMany(p => p.Text.Split([',', ':'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => (Text: t, p.Line)))
            .Where(p => !p.Text.StartsWith('!') && !p.Text.StartsWith('&'))
            .ToList();
        if (positive.Count == 0)
        {
            Block(SafetyRules.PlaybookShape, path, "hosts names no host or group.", hosts.Line);
        }
        foreach (var (pattern, line) in positive)
        {
            CheckTarget(new ArgValue(ArgState.Literal, pattern, null), path, line, "hosts");
        }
    }

    /// <summary>A play's host pattern or a delegate_to target: never the SiemAi host, never everything, and within the alert's hosts when given.</summary>
    private void CheckTarget(ArgValue target, string path, int line, string what)
    {
        if (target.Literal is not { } name)
        {
            Block(SafetyRules.UnresolvedValue, path, $"{what} is '{target.Text}', which the gate cannot resolve to a host.", line);
            return;
        }
        if (LocalHosts.Contains(name))
        {
            Block(SafetyRules.ControllerExecution, path, $"{what} '{name}' runs tasks on the SiemAi host itself.", line);
        }
        else if (name == "all" || name.IndexOfAny(['*', '?', '[']) >= 0 || name.StartsWith('~'))
        {
            Block(SafetyRules.HostsTooBroad, path, $"{what} '{name}' matches every host or a wildcard set; a remediation names the hosts it fixes.", line);
        }
        else if (allowedHosts.Count > 0 && !allowedHosts.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            Block(SafetyRules.HostsNotAllowed, path, $"{what} '{name}' is outside the alert's hosts ({string.Join(", ", allowedHosts)}).", line);
        }
        else if (_inventory is { } inventory)
        {
            CheckAgainstInventory(inventory, name, path, line, what);
        }
    }

    private void CheckAgainstInventory(InventoryView inventory, string name, string path, int line, string what)
    {
        if (inventory.Error is { } error)
        {
            Block(SafetyRules.UnresolvedValue, path, $"{what} '{name}' cannot be resolved: {error}.", line);
        }
        else if (inventory.Groups.Contains(name))
        {
            Block(SafetyRules.HostsTooBroad, path, $"{what} '{name}' is an inventory group; a remediation targets the alert's host, not a group.", line);
        }
        else if (!inventory.Hosts.ContainsKey(name))
        {
            Block(SafetyRules.HostsNotAllowed, path, $"{what} '{name}' is not a host of the runner's inventory.", line);
        }
        else if (inventory.WhyController(name) is { } why && !options.LabLocalHosts.Contains(name, StringComparer.Ordinal))
        {
            Block(SafetyRules.ControllerExecution, path, $"{what} '{name}' {why}.", line);
        }
    }

    /// <summary>Rules that look at every scalar wherever it is: Jinja that escapes to the SiemAi host, and secrets written in clear.</summary>
    private void ScanScalars(Node node, string path)
    {
        switch (node)
        {
            case ScalarNode s:
                CheckTemplatedValue(s, path);
                break;
            case SequenceNode seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    ScanScalars(seq.Items[i], $"{path}[{i}]");
                }
                break;
            case MappingNode map:
                foreach (var entry in map.Entries)
                {
                    var childPath = $"{path}.{entry.Key}";
                    CheckKey(entry, childPath);
                    if (entry.Value is ScalarNode value && IsClearSecret(entry.Key, value))
                    {
                        Block(SafetyRules.PlaintextSecret, childPath, $"'{entry.Key}' holds a literal secret; secrets come from the vault at run time, never from playbook text.", entry.Line);
                    }
                    ScanScalars(entry.Value, childPath);
                }
                break;
        }
    }

    private static bool IsClearSecret(string key, ScalarNode value)
    {
        if (value.IsNull || value.Value.Length == 0 || AnsibleValues.IsTemplated(value.Value) || AnsibleValues.Boolean(value.Value) is not null)
        {
            return false;
        }
        return SecretKey().IsMatch(key) || (key.Equals("authorization", StringComparison.OrdinalIgnoreCase) && value.Value.Contains(' ', StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?i)(^|_)(password|passwd|secret|token|api_?key|private_key|access_key|secret_key)$")]
    private static partial Regex SecretKey();
}
