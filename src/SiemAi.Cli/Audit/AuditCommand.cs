using System.CommandLine;
using System.Text.Json;
using SiemAi.EventStore;

namespace SiemAi.Cli.Audit;

/// <summary>
/// <c>siemai audit verify [--stream ID] [--json]</c> recomputes hash chains (exit 1 when any stream is broken);
/// <c>siemai audit digest [--as-of SEQ] [--json]</c> prints one hash over every stream head, to keep outside the database.
/// Progress goes to stderr, results to stdout.
/// </summary>
public static class AuditCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var audit = new Command("audit", "Audit trail: verify hash chains, digest, replay, export.");
        audit.Subcommands.Add(Verify());
        audit.Subcommands.Add(Digest());
        return audit;
    }

    private static Command Verify()
    {
        var stream = new Option<string?>("--stream") { Description = "Verify one stream (e.g. incident-<id>) instead of all." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var verify = new Command("verify", "Recompute every hash chain and report broken streams (exit 1 when any).");
        verify.Options.Add(stream);
        verify.Options.Add(json);
        verify.SetAction(async (parseResult, ct) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            await using var dataSource = CliDatabase.App();
            var report = await new EventStoreVerifier(dataSource).VerifyAsync(parseResult.GetValue(stream), Progress(error), ct);
            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    intact = report.Intact,
                    streams_checked = report.StreamsChecked,
                    events_checked = report.EventsChecked,
                    faults = report.Faults.Select(f => new { stream_id = f.StreamId, version = f.Version, reason = f.Reason }),
                }, Json));
            }
            else
            {
                foreach (var fault in report.Faults)
                {
                    await output.WriteLineAsync($"BROKEN {fault.StreamId} at version {fault.Version}: {fault.Reason}");
                }

                await output.WriteLineAsync($"{(report.Intact ? "OK" : "TAMPERED")}: {report.StreamsChecked} stream(s), {report.EventsChecked} event(s) checked, {report.Faults.Count} broken.");
            }

            return report.Intact ? CliExit.Ok : CliExit.Finding;
        });
        return verify;
    }

    private static Command Digest()
    {
        var asOf = new Option<long?>("--as-of") { Description = "Global sequence to digest up to (default: the newest event)." };
        var json = new Option<bool>("--json") { Description = "Print the digest as JSON." };
        var digest = new Command("digest", "One SHA-256 over every stream's recomputed head, to keep outside the database.");
        digest.Options.Add(asOf);
        digest.Options.Add(json);
        digest.SetAction(async (parseResult, ct) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            await using var dataSource = CliDatabase.App();
            var result = await new EventStoreVerifier(dataSource).DigestAsync(parseResult.GetValue(asOf), Progress(parseResult.InvocationConfiguration.Error), ct);
            await output.WriteLineAsync(parseResult.GetValue(json)
                ? JsonSerializer.Serialize(new { as_of_sequence = result.AsOfSequence, streams = result.Streams, events = result.Events, digest = result.Digest }, Json)
                : $"{result.Digest}  as-of-sequence={result.AsOfSequence} streams={result.Streams} events={result.Events}");
            return CliExit.Ok;
        });
        return digest;
    }

    private static Progress<long> Progress(TextWriter error) => new(count => error.WriteLine($"... {count} events checked"));
}
