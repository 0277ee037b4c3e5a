using System.Text.RegularExpressions;
using SiemAi.Testing;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace SiemAi.Operations.Tests;

/// <summary>
/// No Docker engine or cluster on the build machines, so the deployment files are checked for what an
/// operator relies on: health checks and probes, limits, non-root, secrets only as files, no values committed.
/// </summary>
public sealed partial class When_the_deployment_files_are_read
{
    private static readonly string Root = RepositoryRoot.Path;

    [Fact]
    public void Every_compose_service_has_a_health_check_and_every_secret_it_uses_is_declared()
    {
        var compose = Load(Path.Combine(Root, "docker-compose.yml")).Single();
        var services = Map(compose["services"]);
        var declared = Map(compose["secrets"]).Keys.ToHashSet();

        Assert.Contains("saga", services.Keys);
        Assert.Contains("prometheus", services.Keys);
        Assert.Contains("grafana", services.Keys);
        foreach (var (name, service) in services.Select(s => (s.Key, Map(s.Value))))
        {
            Assert.True(service.ContainsKey("healthcheck"), $"service {name} has no healthcheck");
            foreach (var secret in service.TryGetValue("secrets", out var list) ? ((List<object>)list).Cast<string>() : [])
            {
                Assert.True(declared.Contains(secret), $"service {name} uses undeclared secret {secret}");
            }

            if (service.TryGetValue("environment", out var env))
            {
                foreach (var (variable, value) in Map(env))
                {
                    Assert.False(variable.EndsWith("PASSWORD", StringComparison.Ordinal) && value is string { Length: > 0 } v && !v.StartsWith("${", StringComparison.Ordinal),
                        $"service {name} sets {variable} in the file; secrets come as files");
                }
            }
        }
    }

    [Fact]
    public void Every_variable_the_compose_file_takes_from_the_environment_is_in_the_sample()
    {
        var sample = File.ReadAllLines(Path.Combine(Root, ".env.sample"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)].Trim())
            .ToHashSet();
        var used = Variable().Matches(File.ReadAllText(Path.Combine(Root, "docker-compose.yml"))).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.NotEmpty(used);
        Assert.All(used, v => Assert.True(sample.Contains(v), $"docker-compose.yml uses ${{{v}}}, which .env.sample does not list"));
    }

    [Fact]
    public void Every_kubernetes_deployment_has_probes_limits_and_runs_as_non_root()
    {
        var deployments = Directory.GetFiles(Path.Combine(Root, "infra", "k8s"), "*.yaml")
            .SelectMany(Load)
            .Where(d => d.TryGetValue("kind", out var kind) && (string)kind == "Deployment")
            .ToList();

        Assert.Equal(["approvals", "generator", "ingestion", "runner", "safety", "saga"], deployments.Select(d => ((string)Map(d["metadata"])["name"])["siemai-".Length..]).Order());
        foreach (var deployment in deployments)
        {
            var pod = Map(Map(Map(deployment["spec"])["template"])["spec"]);
            Assert.Equal("true", Map(pod["securityContext"])["runAsNonRoot"].ToString());
            var container = Map(((List<object>)pod["containers"]).Single());
            Assert.True(container.ContainsKey("readinessProbe") && container.ContainsKey("livenessProbe"), $"{Map(deployment["metadata"])["name"]} lacks a probe");
            var limits = Map(Map(container["resources"])["limits"]);
            Assert.True(limits.ContainsKey("cpu") && limits.ContainsKey("memory"), $"{Map(deployment["metadata"])["name"]} lacks limits");
        }
    }

    [Fact]
    public void The_secret_template_holds_no_values_and_the_image_runs_as_a_user()
    {
        var secret = Load(Path.Combine(Root, "infra", "k8s", "secret.template.yaml")).Single();
        var dockerfile = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));

        Assert.All(Map(secret["stringData"]), entry => Assert.Equal(string.Empty, entry.Value?.ToString() ?? string.Empty));
        var user = dockerfile.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Split(':')[0];
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
        Assert.Contains(dockerfile, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
    }

    private static List<Dictionary<object, object>> Load(string path)
    {
        using var reader = new StreamReader(path);
        var parser = new MergingParser(new Parser(reader));
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<Dictionary<object, object>>();
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
        {
            documents.Add(deserializer.Deserialize<Dictionary<object, object>>(parser));
        }

        return documents;
    }

    private static Dictionary<string, object> Map(object node) =>
        ((Dictionary<object, object>)node).ToDictionary(kv => kv.Key.ToString()!, kv => kv.Value);

    [GeneratedRegex(@"(?<!\$)\$\{([A-Z_]+)(?::?[-?][^}]*)?\}")]
    private static partial Regex Variable();
}
