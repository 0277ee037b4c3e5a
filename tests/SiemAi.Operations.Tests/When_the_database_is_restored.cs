using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using SiemAi.EventStore;
using SiemAi.Hosting;
using SiemAi.Testing;

namespace SiemAi.Operations.Tests;

/// <summary>The backup/restore drill on real PostgreSQL with the shipped scripts: back up, destroy, restore, verify.</summary>
public sealed class When_the_database_is_restored : IAsyncLifetime
{
    private ScratchDatabase original = null!;
    private readonly string scratch = Directory.CreateTempSubdirectory("siemai-drill-").FullName;
    private readonly string restoredName = $"siemai_restored_{Guid.NewGuid():N}"[..40];

    public async Task InitializeAsync()
    {
        original = await ScratchDatabase.CreateAsync("drill");
        await using (var owner = NpgsqlDataSource.Create(original.OwnerConnectionString))
        {
            await new SchemaMigrator(owner, ServiceSettings.Require("DB_USER")).MigrateAsync(AllMigrations.List);
        }

        await using var app = NpgsqlDataSource.Create(original.AppConnectionString);
        var store = new PostgresEventStore(app);
        for (var i = 0; i < 5; i++)
        {
            var incident = new IncidentStreamWriter(store, Guid.NewGuid());
            await incident.ApprovedForCheckAsync(new string((char)('a' + i), 64));
        }

        Directory.CreateDirectory(Path.Combine(scratch, "library"));
        await File.WriteAllTextAsync(Path.Combine(scratch, "library", "approved.yml"), "- hosts: lab\n");
    }

    [Fact]
    public async Task The_restored_trail_verifies_with_the_digest_taken_before_the_backup()
    {
        var before = JsonNode.Parse((await RunAsync("dotnet", Cli, "audit", "digest", "--json")).Output)!;
        var backup = Path.Combine(scratch, "backup");

        var backedUp = await RunAsync("bash", Script("backup.sh"), backup);
        Assert.True(backedUp.ExitCode == 0, backedUp.Output);
        await original.DisposeAsync(); // destroy
        Directory.Delete(Path.Combine(scratch, "library"), recursive: true);
        var restored = await RunAsync("bash", Script("restore.sh"), backup, restoredName);

        Assert.True(restored.ExitCode == 0, restored.Output);
        Assert.Contains("restored and verified", restored.Output, StringComparison.Ordinal);
        var after = JsonNode.Parse((await RunAsync("dotnet", [Cli, "audit", "digest", "--json"], database: restoredName)).Output)!;
        Assert.Equal(before["digest"]!.GetValue<string>(), after["digest"]!.GetValue<string>());
        Assert.Equal(before["events"]!.GetValue<long>(), after["events"]!.GetValue<long>());
        Assert.Equal("- hosts: lab\n", await File.ReadAllTextAsync(Path.Combine(scratch, "library", "approved.yml")));
    }

    [Fact]
    public async Task A_corrupted_backup_file_is_refused_and_named()
    {
        var backup = Path.Combine(scratch, "backup");
        var backedUp = await RunAsync("bash", Script("backup.sh"), backup);
        Assert.True(backedUp.ExitCode == 0, backedUp.Output);
        await using (var dump = File.OpenWrite(Path.Combine(backup, "database.dump")))
        {
            dump.Seek(100, SeekOrigin.Begin);
            dump.WriteByte(0x42);
        }

        var restored = await RunAsync("bash", Script("restore.sh"), backup, restoredName);

        Assert.Equal(2, restored.ExitCode);
        Assert.Contains("database.dump does not match the manifest", restored.Output, StringComparison.Ordinal);
        Assert.Equal(0L, await DatabaseCountAsync(restoredName));
    }

    public async Task DisposeAsync()
    {
        await original.DisposeAsync();
        await using var admin = new NpgsqlConnection(ServiceSettings.Postgres(ServiceSettings.Optional("DB_NAME", "siemai"), owner: true).ConnectionString);
        await admin.OpenAsync();
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{restoredName}\" WITH (FORCE)", admin))
        {
            await drop.ExecuteNonQueryAsync();
        }

        Directory.Delete(scratch, recursive: true);
    }

    private static string Cli => Path.Combine(RepositoryRoot.Path, "src", "SiemAi.Cli", "bin", AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug", "net10.0", "siemai.dll");

    private static string Script(string name) => Path.Combine(RepositoryRoot.Path, "infra", "backup", name);

    private static async Task<long> DatabaseCountAsync(string name)
    {
        await using var admin = new NpgsqlConnection(ServiceSettings.Postgres(ServiceSettings.Optional("DB_NAME", "siemai"), owner: true).ConnectionString);
        await admin.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = name } } };
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args) => RunAsync(program, args, original.Name);

    private async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, string database)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryRoot.Path };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DB_NAME"] = database;
        start.Environment["RUNNER_LIBRARY_PATH"] = Path.Combine(scratch, "library");
        start.Environment["SIEMAI_CLI"] = $"dotnet {Cli}";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
