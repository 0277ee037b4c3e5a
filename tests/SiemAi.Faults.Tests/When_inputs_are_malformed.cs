using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using SiemAi.Testing;
using Xunit.Abstractions;

namespace SiemAi.Faults.Tests;

/// <summary>
/// The broad sweep of bad input on every way in (webhook routes, Splunk HEC, syslog UDP, TCP and TLS, the broker, the approval
/// API): each gets its clear refusal, and afterwards the host is alive and ready and nothing was created.
/// </summary>
public sealed class When_inputs_are_malformed(FuzzTarget target, ITestOutputHelper output) : IClassFixture<FuzzTarget>
{
    [Fact]
    public async Task Every_webhook_route_answers_each_bad_request_with_its_problem()
    {
        var cases = MalformedInputs.Webhook(target.System.IngestKey, FuzzTarget.SignedKey, FuzzTarget.HmacSecret, FuzzTarget.StrictKey);
        var wrong = await SendAllAsync(cases, target.Host.BaseAddress, ingestion: true);

        output.WriteLine($"{cases.Count} webhook cases: " + string.Join(", ", cases.GroupBy(c => c.Name.Split(':')[0]).Select(g => $"{g.Key} {g.Count()}")));
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} webhook cases answered wrongly:\n{string.Join("\n", wrong.Take(40))}\n{target.Host.Tail(20)}");
        await target.AssertUnharmedAsync();
    }

    [Fact]
    public async Task The_splunk_hec_endpoint_answers_each_bad_request_with_hecs_code_inside_its_problem()
    {
        var cases = MalformedInputs.Hec(target.System.IngestKey, FuzzTarget.SignedKey, FuzzTarget.StrictKey);
        using var http = new HttpClient { BaseAddress = target.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, ct) =>
        {
            using var request = c.Request();
            using var response = await http.SendAsync(request, ct);
            var problem = await FuzzTarget.ProblemAsync(response);
            var found = $"{(int)response.StatusCode} type '{problem?["type"]}' code '{problem?["code"]}' text '{problem?["text"]}' field '{problem?["field"]}'";
            if ((int)response.StatusCode != c.Status || problem is null
                || !c.Types.Any(t => problem["type"]?.ToString() == "urn:siemai:problem:" + t)
                || problem["code"]?.ToString() != c.Code.ToString(System.Globalization.CultureInfo.InvariantCulture)
                || string.IsNullOrWhiteSpace(problem["text"]?.ToString())
                || string.IsNullOrWhiteSpace(problem["field"]?.ToString())
                || string.IsNullOrWhiteSpace(problem["detail"]?.ToString()))
            {
                wrong.Add($"{c.Name}: expected {c.Status} {string.Join("|", c.Types)} with HEC code {c.Code}, got {found}");
            }
        });

        output.WriteLine($"{cases.Count} HEC cases");
        Assert.True(wrong.IsEmpty, $"{wrong.Count} of {cases.Count} HEC cases answered wrongly:\n{string.Join("\n", wrong.Order().Take(40))}\n{target.Host.Tail(20)}");
        await target.AssertUnharmedAsync();
    }

    [Fact]
    public async Task The_approval_api_answers_each_bad_request_with_its_problem()
    {
        var cases = MalformedInputs.Approvals(target.ControlIncident, target.ControlSha,
            target.System.People["alice"].Key, target.System.People["dave"].Key, FuzzTarget.CabSecret);
        var wrong = await SendAllAsync(cases, target.Host.ReviewAddress, ingestion: false);

        output.WriteLine($"{cases.Count} approval API cases");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} approval API cases answered wrongly:\n{string.Join("\n", wrong.Take(40))}\n{target.Host.Tail(20)}");
        await target.AssertUnharmedAsync();
        Assert.Equal("AwaitingApproval", (await target.System.RowsAsync("SELECT status FROM incidents WHERE incident_id = $1", target.ControlIncident)).Single()[0]);
    }

    [Fact]
    public async Task Syslog_garbage_over_udp_tcp_and_tls_is_counted_as_rejected_and_dropped()
    {
        var cases = MalformedInputs.Syslog();
        var before = await MetricsAsync();
        foreach (var c in cases.Where(c => c.Transport == "udp"))
        {
            using var udp = new UdpClient();
            await udp.SendAsync(c.Bytes, new IPEndPoint(IPAddress.Loopback, target.Host.SyslogUdpPort));
            // Paced: loopback UDP drops what a busy receiver has no buffer for, and a drop is not a rejection.
            await Task.Delay(20);
        }

        foreach (var c in cases.Where(c => c.Transport is "tcp" or "tls" or "tls-handshake"))
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, c.Transport == "tcp" ? target.Host.SyslogTcpPort : target.SyslogTlsPort);
            Stream stream = tcp.GetStream();
            if (c.Transport == "tls")
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                var pin = target.Certificates.Server.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "syslog.siemai.test",
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256).SequenceEqual(pin),
                });
                stream = tls;
            }

            try
            {
                await stream.WriteAsync(c.Bytes);
                if (stream is SslStream session)
                {
                    await session.ShutdownAsync();
                }
                else
                {
                    tcp.Client.Shutdown(SocketShutdown.Send);
                }

                // The listener closes the connection when it is done with it (or gives up on its framing).
                var buffer = new byte[16];
                using var done = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (await stream.ReadAsync(buffer, done.Token) > 0)
                {
                }
            }
            catch (IOException ex)
            {
                // A listener that gave up on the framing (or the handshake) may reset the connection while we still write.
                output.WriteLine($"{c.Name}: {ex.Message}");
            }
            finally
            {
                await stream.DisposeAsync();
            }
        }

        // A failed handshake counts on transport "tls" but reads nothing; every other case is read, then refused.
        static string Metric(SyslogCase c) => c.Transport == "tls-handshake" ? "tls" : c.Transport;
        var expected = cases.GroupBy(Metric).ToDictionary(g => g.Key, g => g.Sum(c => c.Rejections));
        var read = cases.Where(c => c.Transport != "tls-handshake").GroupBy(Metric).ToDictionary(g => g.Key, g => g.Sum(c => c.Rejections));
        var after = await FaultSystem.WaitAsync(async () =>
        {
            var now = await MetricsAsync();
            return expected.All(e => Rejected(now, e.Key) - Rejected(before, e.Key) >= e.Value) ? now : null;
        }, "every syslog case to be counted as rejected", TimeSpan.FromSeconds(60), () => $"expected {string.Join(", ", expected)}\n{target.Host.Tail()}");

        foreach (var (transport, count) in expected)
        {
            var rejected = Rejected(after, transport) - Rejected(before, transport);
            var received = after.Sum("siemai_syslog_received_total", ("transport", transport)) - before.Sum("siemai_syslog_received_total", ("transport", transport));
            Assert.True(rejected == count && received == read[transport], $"{transport}: {count} bad messages sent ({read[transport]} to be read), {received} received, {rejected} rejected; by reason: " +
                string.Join(", ", Reasons.Select(r => $"{r}={after.Sum("siemai_syslog_rejected_total", ("transport", transport), ("reason", r)) - before.Sum("siemai_syslog_rejected_total", ("transport", transport), ("reason", r))}")));
        }

        output.WriteLine($"{cases.Count} syslog cases: {string.Join(", ", expected.Select(e => $"{e.Key} {cases.Count(c => c.Transport == e.Key)} sockets / {e.Value} messages"))}");
        await target.AssertUnharmedAsync();
    }

    [Fact]
    public async Task Invalid_siem_alerts_on_the_broker_go_to_the_error_queue_with_a_reason()
    {
        var cases = MalformedInputs.Broker();
        foreach (var c in cases)
        {
            await target.PublishRawAsync("SiemAi.Contracts:SiemAlert", c.ContentType, c.Body);
        }

        const string errorQueue = FuzzTarget.SiemAlertQueue + "_error";
        // Bounded wait; a message that never arrives is reported below by name, with the others.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (await ErrorDepthAsync(errorQueue) < cases.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        var faulted = await target.DrainAsync(errorQueue);
        var wrong = new List<string>();
        foreach (var c in cases)
        {
            var match = faulted.Where(m => Encoding.Latin1.GetString(m.Body.Span).Contains(c.Marker, StringComparison.Ordinal)).ToList();
            var reason = match.Count == 1 ? Header(match[0], "MT-Fault-Message") : null;
            if (match.Count != 1)
            {
                wrong.Add($"{c.Name}: {match.Count} copies in {errorQueue}");
            }
            else if (string.IsNullOrWhiteSpace(reason) || (c.ReasonContains is { } word && !reason.Contains(word, StringComparison.Ordinal)))
            {
                wrong.Add($"{c.Name}: reason '{reason}' (exception {Header(match[0], "MT-Fault-ExceptionType")}) does not name {c.ReasonContains ?? "anything"}");
            }
        }

        output.WriteLine($"{cases.Count} broker cases, {faulted.Count} messages in {errorQueue}");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cases.Count} broker cases:\n{string.Join("\n", wrong)}");
        Assert.Equal(cases.Count, faulted.Count);
        await target.AssertUnharmedAsync();
    }

    private static readonly string[] Reasons =
    [
        "invalid_encoding", "invalid_pri", "invalid_rfc5424", "invalid_cef", "empty", "invalid_alert", "oversize", "bad_frame", "truncated_frame", "overload",
        "too_many_connections", "unavailable", "tls_handshake_failed", "tls_handshake_timeout", "no_client_certificate", "unknown_client_certificate",
    ];

    private static double Rejected(PrometheusText metrics, string transport) => metrics.Sum("siemai_syslog_rejected_total", ("transport", transport));

    private async Task<long> ErrorDepthAsync(string queue)
    {
        try
        {
            return await target.QueueDepthAsync(queue);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // Declared on the first fault only.
            return 0;
        }
    }

    private static string? Header(RabbitMQ.Client.BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), _ => value?.ToString() }
            : null;

    private async Task<PrometheusText> MetricsAsync()
    {
        using var http = new HttpClient { BaseAddress = target.Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        return new PrometheusText(await http.GetStringAsync("metrics"));
    }

    /// <summary>Sends each case (a few at a time); the ones whose status or problem body is not what the case says.</summary>
    private static async Task<List<string>> SendAllAsync(IReadOnlyList<HttpCase> cases, Uri address, bool ingestion)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, ct) =>
        {
            using var request = c.Request();
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (HttpRequestException ex)
            {
                wrong.Add($"{c.Name}: no answer ({ex.Message})");
                return;
            }

            using (response)
            {
                var problem = await FuzzTarget.ProblemAsync(response);
                var type = problem?["type"]?.ToString() ?? "";
                var title = problem?["title"]?.ToString() ?? "";
                var found = $"{(int)response.StatusCode} {response.Content.Headers.ContentType} type '{type}' title '{title}' field '{problem?["field"]}'";
                if ((int)response.StatusCode != c.Status || problem is null || title.Length == 0 || problem["status"]?.ToString() != c.Status.ToString())
                {
                    wrong.Add($"{c.Name}: expected {c.Status} problem, got {found}");
                }
                else if (ingestion && (c.Types is null || !c.Types.Any(t => type == "urn:siemai:problem:" + t) || string.IsNullOrEmpty(problem["field"]?.ToString())))
                {
                    wrong.Add($"{c.Name}: expected a problem of type {string.Join("|", c.Types ?? [])} naming its field, got {found}");
                }
                else if (c.TitleContains is { } word && !title.Contains(word, StringComparison.OrdinalIgnoreCase))
                {
                    wrong.Add($"{c.Name}: expected a title about '{word}', got {found}");
                }
                else if (string.IsNullOrWhiteSpace(problem["detail"]?.ToString()) && response.StatusCode != HttpStatusCode.NotFound)
                {
                    // A bare "Bad Request" does not say what was wrong: the detail must.
                    wrong.Add($"{c.Name}: the problem has no detail naming what is wrong: {found}");
                }
            }
        });
        return [.. wrong.Order()];
    }
}
