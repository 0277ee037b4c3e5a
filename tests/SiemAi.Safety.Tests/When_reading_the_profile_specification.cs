using SiemAi.Safety.Rules;

namespace SiemAi.Safety.Tests;

/// <summary>docs/safety.md is the profile's specification: its generated tables must be exactly what the code enforces.</summary>
public sealed class When_reading_the_profile_specification
{
    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(relative);
    }

    [Fact]
    public void Carries_the_tables_the_code_enforces()
    {
        var doc = File.ReadAllText(RepositoryFile(Path.Combine("docs", "safety.md"))).ReplaceLineEndings("\n");
        var expected = ProfileDocument.Render(new SafetyOptions());
        var start = doc.IndexOf(ProfileDocument.Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(ProfileDocument.End, StringComparison.Ordinal);

        Assert.True(start >= 0 && end > start, "docs/safety.md lacks the generated profile section");
        var actual = doc[start..(end + ProfileDocument.End.Length)] + "\n";
        Assert.True(expected == actual,
            "docs/safety.md's profile tables differ from the code; replace the section between the markers with:\n" + expected);
    }

    [Fact]
    public void Lists_every_rule_id()
    {
        var doc = File.ReadAllText(RepositoryFile(Path.Combine("docs", "safety.md")));
        var ids = typeof(SafetyRules).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

        var missing = ids.Where(id => !doc.Contains($"`{id}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/safety.md does not name: " + string.Join(", ", missing));
    }
}
