using System.Diagnostics;

namespace SiemAi.Safety.Tests.Sandbox;

/// <summary>
/// Playbooks that run a command while ansible-playbook --syntax-check merely reads them: each play keyword below is
/// templated during the check (reproduced on ansible-core 2.14), and its template runs <c>touch MARKER</c>.
/// </summary>
internal static class Payloads
{
    /// <summary>Keyword → a play whose rendering of that keyword touches {0}.</summary>
    public static readonly IReadOnlyDictionary<string, string> ByKeyword = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = """
            - name: "{{ (lookup)('pipe', 'touch {0}') }}"
              hosts: all
              gather_facts: false
              tasks: []
            """,
        ["gather_facts"] = """
            - hosts: all
              gather_facts: "{{ lookup('pipe', 'touch {0}') or False }}"
              tasks: []
            """,
        ["serial"] = """
            - hosts: all
              gather_facts: false
              serial: "{{ query('pipe', 'touch {0}') | length }}"
              tasks: []
            """,
        ["hosts"] = """
            - hosts: "{{ lookup('pipe', 'touch {0}') }}all"
              gather_facts: false
              tasks: []
            """,
        ["vars_files"] = """
            - hosts: all
              gather_facts: false
              vars_files: "{{ lookup('pipe', 'touch {0}') }}"
              tasks: []
            """,
    };

    public static TheoryData<string> Keywords() => [.. ByKeyword.Keys];

    public static string For(string keyword, string marker) => ByKeyword[keyword].Replace("{0}", marker, StringComparison.Ordinal);

    /// <summary>A marker path in the host's /tmp that nothing else uses.</summary>
    public static string NewMarker() => Path.Combine(Path.GetTempPath(), $"siemai-marker-{Guid.NewGuid():N}");

    /// <summary>
    /// ansible-playbook --syntax-check started the way the gate started it before the sandbox: the caller's whole
    /// environment, the host's file system. For the control cases only.
    /// </summary>
    public static async Task<(int Exit, string Stderr)> UnconfinedSyntaxCheckAsync(string yaml, IDictionary<string, string>? environment = null)
    {
        var dir = Directory.CreateTempSubdirectory("siemai-unconfined-");
        try
        {
            var file = Path.Combine(dir.FullName, "playbook.yml");
            await File.WriteAllTextAsync(file, yaml);
            var start = new ProcessStartInfo("ansible-playbook") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "--syntax-check", "-i", "localhost,", file })
            {
                start.ArgumentList.Add(arg);
            }
            start.Environment["ANSIBLE_NOCOLOR"] = "1";
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await stdout;
            await process.WaitForExitAsync();
            return (process.ExitCode, stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
