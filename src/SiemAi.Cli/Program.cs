using System.CommandLine;
using SiemAi.Cli;
using SiemAi.Cli.Audit;
using SiemAi.Cli.Database;
using SiemAi.Cli.Ingest;
using SiemAi.Cli.Safety;

var root = new RootCommand("siemai: SiemAi's command line for operators and auditors.");
root.Subcommands.Add(SafetyCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(DatabaseCommand.Create());
root.Subcommands.Add(IngestCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"siemai: {error.Message}");
    }

    return CliExit.Usage;
}

return await parsed.InvokeAsync();
