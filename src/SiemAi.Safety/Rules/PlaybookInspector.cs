using SiemAi.Contracts;
using SiemAi.Safety.Yaml;

namespace SiemAi.Safety.Rules;

/// <summary>Walks the plays and tasks of one playbook, normalises each task and applies the rules. One instance per check.</summary>
internal sealed partial class PlaybookInspector(SafetyOptions options, IReadOnlyCollection<string> allowedHosts, List<SafetyFinding> findings)
{
    private static readonly HashSet<string> PlayKeywords =
    [
        "name", "hosts", "tasks", "pre_tasks", "post_tasks", "handlers", "roles", "vars", "vars_files", "vars_prompt",
        "become", "become_user", "become_method", "become_flags", "become_exe", "check_mode", "diff", "gather_facts",
        "gather_subset", "gather_timeout", "fact_path", "connection", "environment", "serial", "strategy", "order",
        "any_errors_fatal", "max_fail_percentage", "ignore_errors", "ignore_unreachable", "module_defaults", "collections",
        "tags", "force_handlers", "remote_user", "port", "throttle", "timeout", "no_log", "run_once", "debugger",
    ];

    private static readonly HashSet<string> TaskKeywords =
    [
        "name", "when", "become", "become_user", "become_method", "become_flags", "become_exe", "check_mode", "diff",
        "register", "loop", "loop_control", "notify", "listen", "tags", "vars", "environment", "ignore_errors",
        "ignore_unreachable", "failed_when", "changed_when", "delegate_to", "delegate_facts", "run_once", "no_log",
        "retries", "delay", "until", "async", "poll", "args", "action", "local_action", "block", "rescue", "always",
        "throttle", "timeout", "collections", "module_defaults", "any_errors_fatal", "connection", "debugger",
        "remote_user", "port",
    ];

    /// <summary>Play keywords the remediation profile allows (value rules in <see cref="CheckKeywords"/>).</summary>
    public static readonly IReadOnlyList<string> AllowedPlayKeywords =
    [
        "name", "hosts", "become", "become_user", "gather_facts", "gather_subset", "vars", "pre_tasks", "tasks", "post_tasks", "handlers",
        "check_mode", "diff", "any_errors_fatal", "force_handlers", "ignore_errors", "ignore_unreachable", "no_log", "environment", "tags",
    ];

    /// <summary>Task and block keywords the remediation profile allows.</summary>
    public static readonly IReadOnlyList<string> AllowedTaskKeywords =
    [
        "name", "when", "become", "become_user", "check_mode", "diff", "register", "loop", "loop_control", "notify", "listen", "tags",
        "vars", "environment", "ignore_errors", "ignore_unreachable", "failed_when", "changed_when", "delegate_to", "run_once", "no_log",
        "retries", "delay", "until", "args", "action", "block", "rescue", "always", "any_errors_fatal",
    ];

    /// <summary>Keywords outside the profile that a more specific rule already refuses (so the finding names that rule).</summary>
    private static readonly HashSet<string> RefusedElsewhere =
    [
        "vars_prompt", "roles", "vars_files", "connection", "module_defaults", "local_action", "debugger", "strategy", "become_method",
        "become_flags", "become_exe", "remote_user", "port", "collections", "serial", "throttle", "order", "timeout", "async", "poll",
    ];

    private void CheckKeywordsAllowed(MappingNode map, string path, IReadOnlyList<string> allowed, HashSet<string> known)
    {
        foreach (var entry in map.Entries.Where(e => known.Contains(e.Key) && !allowed.Contains(e.Key) && !RefusedElsewhere.Contains(e.Key)))
        {
            Block(SafetyRules.KeywordNotAllowed, $"{path}.{entry.Key}", $"'{entry.Key}' is not part of the remediation profile.", entry.Line);
        }
    }

    private static readonly string[] TaskSections = ["pre_tasks", "tasks", "post_tasks", "handlers"];
    private static readonly string[] ModulePrefixes = ["ansible.builtin.", "ansible.legacy.", "ansible.posix.", "community.general."];
    private static readonly HashSet<string> IncludeModules =
        ["include", "include_tasks", "import_tasks", "include_role", "import_role", "include_vars", "import_playbook"];
    private static readonly HashSet<string> CommandModules =
        ["command", "shell", "raw", "script", "expect", "win_shell", "win_command", "psexec", "win_psexec", "telnet"];
    private static readonly HashSet<string> CommandOptions =
        [TaskArgs.RawParams, "cmd", "argv", "chdir", "creates", "removes", "executable", "stdin", "stdin_add_newline", "strip_empty_ends", "warn", "expand_argument_vars", "free_form"];
    private static readonly HashSet<string> LoopLookups = ["items", "list", "flattened", "indexed_items", "dict", "together", "nested", "subelements", "sequence"];
    private static readonly HashSet<string> LocalHosts = new(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "::1", "localhost.localdomain" };

    private RiskLevel _risk = RiskLevel.Low;
    private int _tasks;

    public RiskLevel Inspect(Node root)
    {
        if (root is not SequenceNode plays || plays.Items.Count == 0)
        {
            Block(SafetyRules.PlaybookShape, "$", "A playbook is a non-empty list of plays.", root.Line);
            return _risk;
        }
        _declared = CollectDeclared(root, options.InventoryVariables);
        _inventory = InventoryView.For(options);
        for (var i = 0; i < plays.Items.Count; i++)
        {
            if (plays.Items[i] is MappingNode play)
            {
                InspectPlay(play, $"plays[{i}]");
            }
            else
            {
                Block(SafetyRules.PlaybookShape, $"plays[{i}]", "A play is a mapping with hosts and tasks.", plays.Items[i].Line);
            }
        }
        ScanScalars(root, "plays");
        if (_tasks > options.MaxTasks)
        {
            Block(SafetyRules.PlaybookTooLarge, "plays", $"{_tasks} tasks exceed the limit of {options.MaxTasks}; a remediation is a focused change.", root.Line);
        }
        if (findings.Any(f => f.Severity == FindingSeverity.Warning))
        {
            Raise(RiskLevel.Medium);
        }
        // Loops over many items and shared alias nodes can repeat a finding word for word; reviewers need it once.
        var distinct = findings.DistinctBy(f => (f.Rule, f.Path, f.Line, f.Message)).ToList();
        findings.Clear();
        findings.AddRange(distinct);
        return _risk;
    }

    private void InspectPlay(MappingNode play, string path)
    {
        if (play.Has("import_playbook") || play.Has("ansible.builtin.import_playbook") || play.Has("include"))
        {
            Block(SafetyRules.ExternalContent, path, "The play imports another playbook that is not part of the reviewed text.", play.Line);
            return;
        }
        foreach (var entry in play.Entries.Where(e => !PlayKeywords.Contains(e.Key)))
        {
            Block(SafetyRules.PlaybookShape, $"{path}.{entry.Key}", $"'{entry.Key}' is not a play keyword.", entry.Line);
        }
        CheckKeywordsAllowed(play, path, AllowedPlayKeywords, PlayKeywords);
        var scope = VariableScope.Empty.With(play["vars"]);
        if (play["hosts"] is { } hosts)
        {
            CheckHosts(hosts, $"{path}.hosts", scope);
        }
        else
        {
            Block(SafetyRules.PlaybookShape, path, "The play names no hosts.", play.Line);
        }
        if (play["vars_prompt"] is { } prompt && !IsEmpty(prompt))
        {
            Block(SafetyRules.InteractivePrompt, $"{path}.vars_prompt", "vars_prompt waits for a person at a terminal; the runner has none.", prompt.Line);
        }
        foreach (var key in new[] { "vars_files", "roles" })
        {
            if (play[key] is { } external && !IsEmpty(external))
            {
                Block(SafetyRules.ExternalContent, $"{path}.{key}", $"'{key}' pulls in files that are not part of the reviewed text.", external.Line);
            }
        }
        CheckKeywords(play, path, scope);
        foreach (var section in TaskSections)
        {
            InspectTaskList(play[section], $"{path}.{section}", scope);
        }
    }

    private void InspectTaskList(Node? node, string path, VariableScope scope)
    {
        if (node is null || IsEmpty(node))
        {
            return;
        }
        if (node is not SequenceNode list)
        {
            Block(SafetyRules.PlaybookShape, path, "A task list is a list of tasks.", node.Line);
            return;
        }
        for (var i = 0; i < list.Items.Count; i++)
        {
            if (list.Items[i] is MappingNode task)
            {
                InspectTask(task, $"{path}[{i}]", scope);
            }
            else
            {
                Block(SafetyRules.PlaybookShape, $"{path}[{i}]", "A task is a mapping.", list.Items[i].Line);
            }
        }
    }

    private void InspectTask(MappingNode task, string path, VariableScope parentScope)
    {
        _tasks++;
        var scope = parentScope.With(task["vars"]);
        CheckKeywordsAllowed(task, path, AllowedTaskKeywords, TaskKeywords);
        CheckKeywords(task, path, scope);
        if (task.Has("block"))
        {
            foreach (var entry in task.Entries.Where(e => !TaskKeywords.Contains(e.Key)))
            {
                Block(SafetyRules.PlaybookShape, $"{path}.{entry.Key}", $"'{entry.Key}' is not a block keyword.", entry.Line);
            }
            foreach (var section in new[] { "block", "rescue", "always" })
            {
                InspectTaskList(task[section], $"{path}.{section}", scope);
            }
            return;
        }

        foreach (var loop in task.Entries.Where(e => e.Key.StartsWith("with_", StringComparison.Ordinal)))
        {
            if (!LoopLookups.Contains(loop.Key[5..]))
            {
                Block(SafetyRules.UnsafeTemplate, $"{path}.{loop.Key}",
                    $"'{loop.Key}' runs the '{loop.Key[5..]}' lookup on the SiemAi host, outside the managed host.", loop.Line);
            }
        }

        if (!TryGetModule(task, path, out var rawName, out var argsNode, out var line))
        {
            return;
        }
        var module = Normalize(rawName);
        var shortName = module[(module.LastIndexOf('.') + 1)..];
        if (IncludeModules.Contains(shortName))
        {
            Block(SafetyRules.ExternalContent, path, $"'{rawName}' pulls in tasks, roles or variables that are not part of the reviewed text.", line);
            return;
        }
        var policy = options.PolicyFor(module);
        if (policy is null)
        {
            if (shortName is "command" or "shell")
            {
                InspectCommand(shortName, rawName, path, line, TaskArgs.Build(argsNode, task["args"], line));
            }
            else if (CommandModules.Contains(shortName))
            {
                Block(SafetyRules.ArbitraryCommand, path, $"'{rawName}' runs arbitrary commands; the gate cannot tell what they change.", line);
            }
            else
            {
                Block(SafetyRules.ModuleNotAllowed, path, $"Module '{rawName}' is not on the allowed list.", line);
            }
            return;
        }
        Raise(policy.Risk);

        var args = TaskArgs.Build(argsNode, task["args"], line);
        CheckArguments(module, rawName, path, line, argsNode, args);
        if (shortName == "assert" && args.TryGetValue("that", out var that))
        {
            CheckBareExpression(that, $"{path}.that");
        }
        if (shortName == "debug" && args.TryGetValue("var", out var debugVar))
        {
            CheckBareExpression(debugVar, $"{path}.var");
        }
        var (items, itemName, itemsUnresolved) = LoopItems(task, scope);
        if (items.Count > policy.MaxLoopItems)
        {
            Block(SafetyRules.ModuleLimit, $"{path}.loop", $"The loop has {items.Count} items; '{module}' allows at most {policy.MaxLoopItems}.", line);
            return;
        }
        if (items.Count > 10)
        {
            Raise(policy.Risk + 1 > RiskLevel.Critical ? RiskLevel.Critical : policy.Risk + 1);
        }
        if (task["retries"] is ScalarNode retries && int.TryParse(retries.Value, out var r) && r > 20)
        {
            Block(SafetyRules.ModuleLimit, $"{path}.retries", $"{r} retries keep a host busy far longer than a remediation needs (limit 20).", retries.Line);
        }

        var variants = items.Count == 0 ? [null] : items;
        foreach (var item in variants)
        {
            var task1 = new TaskContext(module, rawName, path, line, args, scope.WithItem(itemName, item, itemsUnresolved));
            if (policy.AllowedStates.Count > 0)
            {
                var state = task1.Arg("state");
                if (state.IsUnresolved)
                {
                    Unresolved(task1, "state", state);
                }
                else if (state.Literal is { } s && !policy.AllowedStates.Contains(s))
                {
                    Block(SafetyRules.ModuleLimit, $"{path}.state", $"'{module}' may not use state '{s}' (allowed: {string.Join(", ", policy.AllowedStates)}).", line);
                }
            }
            ApplyCommonArgumentRules(task1);
            ApplyModuleRules(task1);
        }
    }

    /// <summary>The module's arguments as a literal mapping, each one on the module's list (<see cref="ModuleSchemas"/>).</summary>
    private void CheckArguments(string module, string rawName, string path, int line, Node? argsNode, IReadOnlyDictionary<string, Node> args)
    {
        if (argsNode is ScalarNode { IsNull: false } freeForm)
        {
            if (!freeForm.Unsafe && Jinja.IsTemplated(freeForm.Value))
            {
                Block(SafetyRules.ArgumentSplatting, path, $"'{rawName}' takes its arguments from a template; the gate (and reviewers) would never see them.", freeForm.Line);
                return;
            }
            if (!(module == "meta" && freeForm.Value.Trim() is "flush_handlers" or "noop"))
            {
                Block(SafetyRules.ArgumentNotAllowed, path, $"'{rawName}' is given free-form 'key=value' text; write its arguments as a mapping.", freeForm.Line);
            }
        }
        else if (argsNode is not null and not MappingNode and not ScalarNode)
        {
            Block(SafetyRules.ArgumentSplatting, path, $"'{rawName}' arguments must be a mapping.", argsNode.Line);
            return;
        }
        if (!ModuleSchemas.Arguments.TryGetValue(module, out var allowed) || ModuleSchemas.FreeKeys(module))
        {
            return;
        }
        foreach (var (name, node) in args)
        {
            if (name == TaskArgs.RawParams && module == "meta")
            {
                continue;
            }
            if (!allowed.Contains(name))
            {
                Block(SafetyRules.ArgumentNotAllowed, $"{path}.{name}", name == "use"
                    ? $"'use' redirects '{rawName}' to another module the gate never judged."
                    : $"'{name}' is not an argument '{module}' may take in the remediation profile (allowed: {string.Join(", ", allowed)}).", node.Line);
            }
        }
        if (args.TryGetValue("validate", out var validate) && (validate is not ScalarNode v || !KnownValidator().IsMatch(v.Value)))
        {
            Block(SafetyRules.ArgumentNotAllowed, $"{path}.validate", "validate runs a command on the host; only 'visudo -cf %s' and 'sshd -t -f %s' are allowed.", validate.Line);
        }
    }

    private bool TryGetModule(MappingNode task, string path, out string name, out Node? args, out int line)
    {
        name = "";
        args = null;
        line = task.Line;
        foreach (var key in new[] { "local_action", "action" })
        {
            if (task[key] is not { } action)
            {
                continue;
            }
            if (key == "local_action")
            {
                Block(SafetyRules.ControllerExecution, $"{path}.local_action", "local_action runs the task on the SiemAi host itself.", action.Line);
            }
            line = action.Line;
            if (action is ScalarNode s)
            {
                var text = s.Value.Trim();
                var space = text.IndexOfAny([' ', '\t']);
                name = space < 0 ? text : text[..space];
                args = new ScalarNode(s.Line, space < 0 ? "" : text[(space + 1)..], plain: false, s.Unsafe);
            }
            else if (action is MappingNode m && m["module"] is ScalarNode moduleName)
            {
                name = moduleName.Value;
                args = new MappingNode(m.Line, [.. m.Entries.Where(e => e.Key != "module")]);
            }
            else
            {
                Block(SafetyRules.PlaybookShape, $"{path}.{key}", $"'{key}' names no module.", action.Line);
                return false;
            }
            return true;
        }

        var candidates = task.Entries.Where(e => !TaskKeywords.Contains(e.Key) && !e.Key.StartsWith("with_", StringComparison.Ordinal)).ToList();
        if (candidates.Count != 1)
        {
            Block(SafetyRules.PlaybookShape, path, candidates.Count == 0
                ? "The task names no module."
                : $"The task names more than one module or an unknown keyword: {string.Join(", ", candidates.Select(c => c.Key))}.", task.Line);
            return false;
        }
        name = candidates[0].Key;
        args = candidates[0].Value;
        line = candidates[0].Line;
        return true;
    }

    private (IReadOnlyList<Node?> Items, string ItemName, bool Unresolved) LoopItems(MappingNode task, VariableScope scope)
    {
        var itemName = (task["loop_control"] as MappingNode)?["loop_var"] is ScalarNode loopVar ? loopVar.Value : "item";
        var loop = task.Entries.FirstOrDefault(e => e.Key == "loop" || e.Key.StartsWith("with_", StringComparison.Ordinal));
        if (loop is null)
        {
            return ([], itemName, false);
        }
        var value = scope.Resolve(loop.Value);
        switch (value.Node)
        {
            case SequenceNode seq when value.IsLiteral:
                var items = new List<Node?>();
                foreach (var item in seq.Items)
                {
                    // with_items flattens one level; loop does not, but a nested list item is rare and judged the same way.
                    if (loop.Key == "with_items" && item is SequenceNode inner)
                    {
                        items.AddRange(inner.Items);
                    }
                    else
                    {
                        items.Add(item);
                    }
                }
                return (items, itemName, false);
            case MappingNode map when loop.Key == "with_dict" && value.IsLiteral:
                return ([.. map.Entries.Select(e => (Node?)new MappingNode(e.Line,
                    [new MappingEntry("key", e.Line, new ScalarNode(e.Line, e.Key, false, false)), new MappingEntry("value", e.Line, e.Value)]))], itemName, false);
            default:
                // A loop over something we cannot see (a registered result, a fact): every use of the item is unresolved.
                return ([null], itemName, true);
        }
    }

    private static string Normalize(string module)
    {
        foreach (var prefix in ModulePrefixes)
        {
            if (module.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = module[prefix.Length..];
                // community.general.system.ufw and similar old routing names
                return rest[(rest.LastIndexOf('.') + 1)..];
            }
        }
        return module;
    }

    private static bool IsEmpty(Node node) => node switch
    {
        ScalarNode s => s.IsNull,
        SequenceNode s => s.Items.Count == 0,
        MappingNode m => m.Entries.Count == 0,
        _ => false,
    };

    /// <summary>
    /// <c>command</c>/<c>shell</c>, default deny: a <c>command</c> with an <c>argv</c> list of literal words that matches one of
    /// <see cref="SafetyOptions.AllowedCommands"/> passes; a destructive command blocks as such; with
    /// <see cref="SafetyOptions.AllowLiteralShellCommands"/> an operator may let other literal lines through as a warning
    /// (risk Critical, so they need the CAB); everything else blocks.
    /// </summary>
    private void InspectCommand(string module, string rawName, string path, int line, IReadOnlyDictionary<string, Node> args)
    {
        // Free-form k=v words that are not the module's own options belong to the command (dd of=/dev/sda).
        var commandWords = string.Join(' ', args.Where(a => !CommandOptions.Contains(a.Key) && a.Value is ScalarNode).Select(a => $"{a.Key}={((ScalarNode)a.Value).Value}"));
        var argv = args.TryGetValue("argv", out var argvNode) && argvNode is SequenceNode list ? list.Items : null;
        var text = args.TryGetValue(TaskArgs.RawParams, out var raw) && raw is ScalarNode rawText ? $"{rawText.Value} {commandWords}".TrimEnd()
            : args.TryGetValue("cmd", out var cmd) && cmd is ScalarNode cmdText ? cmdText.Value
            : argv is not null ? string.Join(' ', argv.OfType<ScalarNode>().Select(i => i.Value))
            : null;
        if (string.IsNullOrWhiteSpace(text))
        {
            Block(SafetyRules.ArbitraryCommand, path, $"'{rawName}' has no command the gate can read.", line);
            return;
        }
        if (Jinja.IsTemplated(text) || argv is not null && argv.Any(a => a is not ScalarNode { Unsafe: false }))
        {
            Block(SafetyRules.ArbitraryCommand, path, $"'{rawName}' builds its command from a template; reviewers cannot see what will run.", line);
            return;
        }
        if (args.ContainsKey("executable"))
        {
            Block(SafetyRules.ArbitraryCommand, path, $"'{rawName}' overrides the shell executable.", line);
            return;
        }
        if (DestructiveCommands.Match(text) is { } reason)
        {
            Block(SafetyRules.DestructiveCommand, path, $"'{rawName}' {reason}: {Shorten(text)}", line);
            return;
        }
        foreach (var option in args.Keys.Where(k => k is not ("argv" or "chdir" or "creates" or "removes" or "strip_empty_ends" or "cmd" or TaskArgs.RawParams) && CommandOptions.Contains(k)))
        {
            Block(SafetyRules.ArgumentNotAllowed, $"{path}.{option}", $"'{option}' is not an option '{rawName}' may take in the remediation profile.", line);
        }
        if (module == "command" && argv is not null && CommandPatterns.Match([.. argv.Cast<ScalarNode>().Select(a => a.Value)], options.AllowedCommands) is { } pattern)
        {
            Raise(RiskLevel.Medium);
            return;
        }
        if (options.AllowLiteralShellCommands)
        {
            Raise(RiskLevel.Critical);
            Warn(SafetyRules.ShellCommand, path, $"'{rawName}' runs a command outside the declared command patterns; read it before approving (the CAB must agree): {Shorten(text)}", line);
            return;
        }
        Block(SafetyRules.ArbitraryCommand, path, module == "command" && argv is not null
            ? $"'{Shorten(text)}' matches none of the declared command patterns ({(options.AllowedCommands.Count == 0 ? "none are declared" : string.Join("; ", options.AllowedCommands))})."
            : $"'{rawName}' is allowed only as 'command' with an argv list matching a declared command pattern; this is a command line the gate cannot model: {Shorten(text)}", line);
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";

    private void Raise(RiskLevel risk)
    {
        if (risk > _risk)
        {
            _risk = risk;
        }
    }

    private void Block(string rule, string path, string message, int? line) => Add(FindingSeverity.Block, rule, path, message, line);

    private void Warn(string rule, string path, string message, int? line) => Add(FindingSeverity.Warning, rule, path, message, line);

    private void Add(FindingSeverity severity, string rule, string path, string message, int? line) =>
        findings.Add(new SafetyFinding { Rule = rule, Severity = severity, Path = path, Message = message, Line = line });

    private void Unresolved(TaskContext task, string arg, ArgValue value) =>
        Block(SafetyRules.UnresolvedValue, $"{task.Path}.{arg}",
            $"'{arg}' of '{task.Module}' is '{value.Text}', which the gate cannot resolve to a value it can judge.", value.Node?.Line ?? task.Line);
}
