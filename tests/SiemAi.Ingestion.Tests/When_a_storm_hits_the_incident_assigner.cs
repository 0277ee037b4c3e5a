using Microsoft.Extensions.Options;
using Npgsql;
using SiemAi.Ingestion.Incidents;
using SiemAi.Ingestion.Tests.Support;
using SiemAi.Testing;

namespace SiemAi.Ingestion.Tests;

public sealed class When_a_storm_hits_the_incident_assigner : IAsyncLifetime
{
    private ScratchDatabase database = null!;
    private NpgsqlDataSource dataSource = null!;
    private IncidentAssigner assigner = null!;

    public async Task InitializeAsync()
    {
        database = await IngestionDatabase.CreateAsync("storm");
        dataSource = NpgsqlDataSource.Create(database.AppConnectionString);
        var options = new StaticOptionsMonitor(new IngestionOptions { DedupWindow = TimeSpan.FromMinutes(15) });
        assigner = new IncidentAssigner(dataSource, options);
    }

    public async Task DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Opens_exactly_one_incident_per_fingerprint_and_counts_every_alert()
    {
        const int alerts = 10_000;
        const int fingerprints = 100;
        var now = DateTimeOffset.UtcNow;
        var incidentsByFingerprint = new System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentBag<Guid>>();
        await Parallel.ForEachAsync(Enumerable.Range(0, alerts), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var fingerprint = $"fp-{i % fingerprints:D3}";
            var assignment = await assigner.AssignAsync(Guid.NewGuid(), fingerprint, now.AddMilliseconds(i), ct);
            incidentsByFingerprint.GetOrAdd(fingerprint, _ => []).Add(assignment.IncidentId);
        });

        Assert.Equal(fingerprints, incidentsByFingerprint.Count);
        Assert.All(incidentsByFingerprint.Values, ids => Assert.Single(ids.Distinct()));
        Assert.Equal(fingerprints, incidentsByFingerprint.Values.Select(ids => ids.First()).Distinct().Count());
        Assert.Equal(fingerprints, await IngestionDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM ingestion_incidents"));
        Assert.Equal(alerts, await IngestionDatabase.ScalarAsync<decimal>(database, "SELECT sum(alert_count) FROM ingestion_incidents"));
        Assert.Equal(alerts, await IngestionDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM ingestion_alerts"));
    }

    [Fact]
    public async Task Gives_twenty_parallel_alerts_of_one_fingerprint_one_incident()
    {
        var now = DateTimeOffset.UtcNow;
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => assigner.AssignAsync(Guid.NewGuid(), "parallel-fp", now, CancellationToken.None))));

        Assert.Single(results.Select(r => r.IncidentId).Distinct());
        Assert.Single(results, r => r.OpenedIncident);
        Assert.Equal(Enumerable.Range(1, 20).Select(n => (long?)n), results.Select(r => r.AlertCount).Order());
    }

    [Fact]
    public async Task Counts_a_repeated_alert_id_once_even_when_it_races()
    {
        var alertId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => assigner.AssignAsync(alertId, "dup-fp", now, CancellationToken.None))));

        Assert.Single(results.Select(r => r.IncidentId).Distinct());
        Assert.Equal(9, results.Count(r => r.DuplicateAlert));
        Assert.Equal(1L, await IngestionDatabase.ScalarAsync<long>(database, "SELECT alert_count FROM ingestion_fingerprints WHERE fingerprint = 'dup-fp'"));
    }

    [Fact]
    public async Task Opens_a_new_incident_once_the_window_has_lapsed()
    {
        var start = DateTimeOffset.UtcNow;
        var first = await assigner.AssignAsync(Guid.NewGuid(), "window-fp", start, CancellationToken.None);
        var inside = await assigner.AssignAsync(Guid.NewGuid(), "window-fp", start.AddMinutes(14), CancellationToken.None);
        var after = await assigner.AssignAsync(Guid.NewGuid(), "window-fp", start.AddMinutes(14 + 16), CancellationToken.None);

        Assert.Equal(first.IncidentId, inside.IncidentId);
        Assert.NotEqual(first.IncidentId, after.IncidentId);
        Assert.True(after.OpenedIncident);
        Assert.Equal(1, after.AlertCount);
        Assert.Equal(2L, await IngestionDatabase.ScalarAsync<long>(database, $"SELECT alert_count FROM ingestion_incidents WHERE incident_id = '{first.IncidentId}'"));
    }

    private sealed class StaticOptionsMonitor(IngestionOptions value) : IOptionsMonitor<IngestionOptions>
    {
        public IngestionOptions CurrentValue => value;

        public IngestionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<IngestionOptions, string?> listener) => null;
    }
}
