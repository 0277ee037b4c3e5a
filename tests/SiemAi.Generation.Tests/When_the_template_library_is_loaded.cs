using SiemAi.Generation.Templates;

namespace SiemAi.Generation.Tests;

public sealed class When_the_template_library_is_loaded : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "siemai-templates-" + Guid.NewGuid().ToString("N"));

    public When_the_template_library_is_loaded()
    {
        var source = TemplateLibrary.ResolveDirectory(null, AppContext.BaseDirectory);
        foreach (var id in new[] { "evidence-collection", "port-scan" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, id));
            foreach (var file in Directory.GetFiles(Path.Combine(source, id)))
            {
                File.Copy(file, Path.Combine(_dir, id, Path.GetFileName(file)));
            }
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("    delegate_to: localhost\n", "delegate_to")]
    [InlineData("    check_mode: false\n", "check_mode: false")]
    [InlineData("  - name: run\n    ansible.builtin.shell: iptables -F\n", "ansible.builtin.shell")]
    [InlineData("  - name: run\n    ansible.builtin.command:\n      argv: [id]\n", "ansible.builtin.command")]
    [InlineData("  - name: run\n    community.docker.docker_container:\n      name: x\n", "community.docker")]
    public void Refuses_a_template_that_breaks_a_house_rule_naming_the_file(string appended, string expected)
    {
        File.AppendAllText(Path.Combine(_dir, "port-scan", "playbook.yml"), appended);

        var ex = Assert.Throws<TemplateLibraryException>(() => TemplateLibrary.Load(_dir));

        Assert.Contains("port-scan/playbook.yml", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_write_in_the_evidence_template()
    {
        File.AppendAllText(Path.Combine(_dir, "evidence-collection", "playbook.yml"), "  - name: write\n    ansible.builtin.file:\n      path: /tmp/x\n      state: touch\n");

        var ex = Assert.Throws<TemplateLibraryException>(() => TemplateLibrary.Load(_dir));

        Assert.Contains("read-only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loads_a_clean_library()
    {
        var library = TemplateLibrary.Load(_dir);

        Assert.Equal("port-scan", Assert.Single(library.Templates).Id);
        Assert.Equal(TemplateLibrary.EvidenceTemplateId, library.Evidence.Id);
    }
}
