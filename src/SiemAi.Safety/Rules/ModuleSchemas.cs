namespace SiemAi.Safety.Rules;

/// <summary>
/// The arguments each allowed module may take in a generated playbook (aliases included, as the module accepts them).
/// An argument outside its module's list blocks with <c>argument-not-allowed</c>: options that redirect to another
/// module (<c>use</c>), run commands (<c>validate</c> outside the known validators, <c>executable</c>), fetch from the
/// controller, or that the remediation profile has no use for are simply not listed.
/// </summary>
internal static class ModuleSchemas
{
    private static readonly string[] FileAttributes = ["mode", "owner", "group", "seuser", "serole", "setype", "selevel", "attributes", "attr", "unsafe_writes"];

    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Arguments = new SortedDictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["debug"] = Set("msg", "var", "verbosity"),
        ["assert"] = Set("that", "fail_msg", "msg", "success_msg", "quiet"),
        ["fail"] = Set("msg"),
        ["meta"] = Set("_raw_params"),
        ["set_fact"] = Set(),
        ["stat"] = Set("path", "dest", "name", "follow", "get_checksum", "checksum_algorithm", "checksum", "checksum_algo", "get_mime", "get_attributes", "get_md5"),
        ["find"] = Set("paths", "path", "name", "patterns", "pattern", "excludes", "exclude", "contains", "read_whole_file", "file_type", "recurse", "size", "age", "age_stamp", "hidden", "follow", "get_checksum", "use_regex", "depth", "mode", "exact_mode", "encoding", "checksum_algorithm"),
        ["slurp"] = Set("src", "path"),
        ["setup"] = Set("gather_subset", "filter", "gather_timeout"),
        ["package_facts"] = Set("manager", "strategy"),
        ["service_facts"] = Set(),
        ["getent"] = Set("database", "key", "split", "fail_key", "service"),
        ["listen_ports_facts"] = Set("command", "include_non_listening"),
        ["wait_for"] = Set("host", "port", "path", "state", "timeout", "delay", "sleep", "search_regex", "regex", "exclude_hosts", "msg", "connect_timeout", "active_connection_states"),
        ["file"] = Set(["path", "dest", "name", "state", "recurse", "force", "follow", "modification_time", "modification_time_format", "access_time", "access_time_format", .. FileAttributes]),
        ["copy"] = Set(["dest", "content", "src", "remote_src", "backup", "force", "directory_mode", "checksum", "decrypt", "local_follow", "follow", "validate", .. FileAttributes]),
        ["lineinfile"] = Set(["path", "dest", "destfile", "name", "line", "value", "regexp", "regex", "search_string", "state", "insertafter", "insertbefore", "create", "backup", "backrefs", "firstmatch", "validate", .. FileAttributes]),
        ["blockinfile"] = Set(["path", "dest", "destfile", "name", "block", "content", "marker", "marker_begin", "marker_end", "state", "insertafter", "insertbefore", "create", "backup", "validate", "append_newline", "prepend_newline", .. FileAttributes]),
        ["replace"] = Set(["path", "dest", "destfile", "name", "regexp", "replace", "after", "before", "backup", "encoding", "validate", .. FileAttributes]),
        ["get_url"] = Set(["url", "dest", "checksum", "sha256sum", "force", "backup", "timeout", "headers", "url_username", "username", "url_password", "password", "use_proxy", "validate_certs", "http_agent", "tmp_dest", "decompress", .. FileAttributes]),
        ["uri"] = Set(["url", "method", "body", "body_format", "headers", "status_code", "return_content", "timeout", "follow_redirects", "validate_certs", "url_username", "user", "url_password", "password", "force_basic_auth", "use_proxy", "dest", "creates", "removes", "http_agent", "src", "remote_src", "unix_socket", "use_netrc", .. FileAttributes]),
        ["iptables"] = Set("chain", "table", "action", "rule_num", "protocol", "source", "destination", "source_port", "destination_port", "destination_ports", "match", "jump", "ctstate", "comment", "state", "ip_version", "in_interface", "out_interface", "icmp_type", "limit", "limit_burst", "log_prefix", "log_level", "reject_with", "tcp_flags", "syn", "wait", "src_range", "dst_range", "uid_owner", "gid_owner", "fragment", "set_counters", "to_source", "to_destination", "to_ports", "goto", "match_set", "match_set_flags", "numeric", "chain_management", "policy", "flush"),
        ["ufw"] = Set("rule", "from_ip", "from", "src", "to_ip", "to", "dest", "from_port", "to_port", "port", "proto", "protocol", "direction", "interface", "if", "interface_in", "interface_out", "comment", "insert", "insert_relative_to", "delete", "route", "log", "state", "default", "policy", "name", "app", "logging"),
        ["firewalld"] = Set("rich_rule", "source", "service", "port", "port_forward", "interface", "zone", "permanent", "immediate", "state", "timeout", "masquerade", "icmp_block", "icmp_block_inversion", "offline", "target", "forward", "protocol"),
        ["user"] = Set("name", "user", "state", "password_lock", "expires", "shell", "comment", "groups", "group", "append", "uid", "non_unique", "remove", "force", "home", "create_home", "createhome", "move_home", "system", "update_password", "password", "password_expire_max", "password_expire_min", "password_expire_warn"),
        ["authorized_key"] = Set("user", "key", "state", "path", "manage_dir", "exclusive", "key_options", "comment", "follow", "validate_certs"),
        ["service"] = Set("name", "state", "enabled", "pattern", "sleep", "arguments", "args", "runlevel"),
        ["systemd"] = Set("name", "service", "unit", "state", "enabled", "masked", "daemon_reload", "daemon-reload", "daemon_reexec", "daemon-reexec", "scope", "no_block", "force"),
        ["systemd_service"] = Set("name", "service", "unit", "state", "enabled", "masked", "daemon_reload", "daemon-reload", "daemon_reexec", "daemon-reexec", "scope", "no_block", "force"),
        ["package"] = Set("name", "state"),
        ["apt"] = Set("name", "package", "pkg", "state", "update_cache", "update-cache", "cache_valid_time", "purge", "autoremove", "only_upgrade", "install_recommends", "default_release", "allow_unauthenticated", "allow_downgrade", "lock_timeout", "deb"),
        ["dnf"] = Set("name", "pkg", "state", "update_cache", "security", "bugfix", "enablerepo", "disablerepo", "disable_gpg_check", "autoremove", "allow_downgrade", "lock_timeout"),
        ["yum"] = Set("name", "pkg", "state", "update_cache", "security", "bugfix", "enablerepo", "disablerepo", "disable_gpg_check", "autoremove", "allow_downgrade", "lock_timeout"),
        ["sysctl"] = Set("name", "key", "value", "val", "state", "reload", "sysctl_set", "sysctl_file", "ignoreerrors"),
        ["cron"] = Set("name", "user", "state", "disabled", "job", "minute", "hour", "day", "month", "weekday", "special_time", "cron_file", "backup"),
        ["mount"] = Set("path", "name", "src", "fstype", "opts", "state", "dump", "passno", "backup", "boot"),
        ["seboolean"] = Set("name", "state", "persistent", "ignore_selinux_state"),
        ["selinux"] = Set("policy", "state", "configfile", "conf", "file", "update_kernel_param"),
    };

    /// <summary>Arguments of set_fact are facts, judged by their names (never ansible_*), not a fixed list.</summary>
    public static bool FreeKeys(string module) => module is "set_fact";

    private static IReadOnlySet<string> Set(params string[] names) => new SortedSet<string>(names, StringComparer.Ordinal);
}
