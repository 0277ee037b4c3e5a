using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using FluentValidation;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SiemAi.Ingestion.Formats;

namespace SiemAi.Ingestion.Syslog;

/// <summary>
/// UDP, TCP and TLS (RFC 5425) syslog listeners feeding one bounded queue that workers drain through the same
/// assign + publish path as the webhook. Nothing a peer sends can stop a listener: every bad message is
/// counted (<c>siemai_syslog_rejected_total{reason}</c>), logged and dropped.
/// UDP has no acknowledgement, so "accepted" means published with a broker confirm.
/// </summary>
public sealed class SyslogListener(
    IOptions<IngestionOptions> options,
    SyslogEndpoints endpoints,
    AlertIngestor ingestor,
    IBus bus,
    IngestionMetrics metrics,
    ILogger<SyslogListener> logger) : BackgroundService
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly SyslogOptions settings = options.Value.Syslog;
    private readonly ConcurrentDictionary<string, long> rejectionsByReason = new(StringComparer.Ordinal);
    private Channel<SyslogWork>? queue;
    private Socket? udp;
    private TcpListener? tcp;
    private TcpListener? tls;
    private SyslogTlsHandshake? handshake;
    private SemaphoreSlim? connectionSlots;
    private SemaphoreSlim? tlsSlots;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!settings.Enabled)
        {
            return Task.CompletedTask;
        }

        // Bind before the host reports started, so callers (and tests with port 0) can read the ports.
        var address = IPAddress.Parse(settings.BindAddress);
        if (settings.UdpPort >= 0)
        {
            udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 16 * 1024 * 1024 };
            udp.Bind(new IPEndPoint(address, settings.UdpPort));
            endpoints.UdpPort = ((IPEndPoint)udp.LocalEndPoint!).Port;
        }

        if (settings.TcpPort >= 0)
        {
            tcp = new TcpListener(address, settings.TcpPort);
            tcp.Start(backlog: 512);
            endpoints.TcpPort = ((IPEndPoint)tcp.LocalEndpoint).Port;
        }

        if (settings.TlsPort >= 0)
        {
            handshake = new SyslogTlsHandshake(settings.Tls);
            tls = new TcpListener(address, settings.TlsPort);
            tls.Start(backlog: 512);
            endpoints.TlsPort = ((IPEndPoint)tls.LocalEndpoint).Port;
        }

        endpoints.Address = address;
        queue = Channel.CreateBounded<SyslogWork>(new BoundedChannelOptions(settings.QueueCapacity) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });
        connectionSlots = new SemaphoreSlim(settings.MaxTcpConnections);
        tlsSlots = new SemaphoreSlim(settings.MaxTcpConnections);
        logger.LogInformation("Syslog listening on {Address}: UDP {UdpPort}, TCP {TcpPort}, TLS {TlsPort}", address, endpoints.UdpPort, endpoints.TcpPort, endpoints.TlsPort);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (queue is null)
        {
            return;
        }

        var tasks = new List<Task>();
        for (var i = 0; i < settings.Workers; i++)
        {
            tasks.Add(Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None));
        }

        if (udp is not null)
        {
            tasks.Add(Task.Run(() => ReceiveUdpAsync(udp, stoppingToken), CancellationToken.None));
        }

        if (tcp is not null)
        {
            tasks.Add(Task.Run(() => AcceptTcpAsync(tcp, stoppingToken), CancellationToken.None));
        }

        if (tls is not null)
        {
            tasks.Add(Task.Run(() => AcceptTlsAsync(tls, stoppingToken), CancellationToken.None));
        }

        await Task.WhenAll(tasks);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        udp?.Dispose();
        tcp?.Stop();
        tls?.Stop();
        await base.StopAsync(cancellationToken);
        endpoints.UdpPort = null;
        endpoints.TcpPort = null;
        endpoints.TlsPort = null;
    }

    public override void Dispose()
    {
        udp?.Dispose();
        tcp?.Dispose();
        tls?.Dispose();
        connectionSlots?.Dispose();
        tlsSlots?.Dispose();
        base.Dispose();
    }

    private async Task ReceiveUdpAsync(Socket socket, CancellationToken stoppingToken)
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stoppingToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // ICMP port-unreachable echoes and similar per-datagram errors must not end the loop.
                logger.LogDebug(ex, "UDP receive error {SocketError}", ex.SocketErrorCode);
                continue;
            }

            metrics.SyslogReceived("udp");
            if (received.ReceivedBytes > settings.MaxMessageBytes)
            {
                Reject("oversize", "udp", received.RemoteEndPoint, null);
                continue;
            }

            var work = new SyslogWork(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), "udp", received.RemoteEndPoint, Submitter: null);
            if (!queue!.Writer.TryWrite(work))
            {
                Reject("overload", "udp", received.RemoteEndPoint, null);
            }
        }
    }

    private async Task AcceptTcpAsync(TcpListener listener, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                logger.LogWarning(ex, "TCP accept failed {SocketError}", ex.SocketErrorCode);
                continue;
            }

            if (!connectionSlots!.Wait(0, CancellationToken.None))
            {
                Reject("too_many_connections", "tcp", client.RemoteEndPoint, null);
                client.Dispose();
                continue;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await using var stream = new NetworkStream(client, ownsSocket: false);
                    await ReadStreamAsync(stream, client.RemoteEndPoint, "tcp", submitter: null, stoppingToken);
                }
                finally
                {
                    client.Dispose();
                    connectionSlots.Release();
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>
    /// RFC 5425 listener: each connection gets a connection slot, a bounded TLS handshake and the framing of the
    /// plain TCP listener; its messages are submitted by the source its client certificate is pinned to.
    /// </summary>
    private async Task AcceptTlsAsync(TcpListener listener, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                logger.LogWarning(ex, "TLS accept failed {SocketError}", ex.SocketErrorCode);
                continue;
            }

            if (!tlsSlots!.Wait(0, CancellationToken.None))
            {
                Reject("too_many_connections", "tls", client.RemoteEndPoint, null);
                client.Dispose();
                continue;
            }

            _ = Task.Run(async () =>
            {
                var peer = client.RemoteEndPoint;
                try
                {
                    var (stream, source, rejection) = await handshake!.AuthenticateAsync(client, stoppingToken);
                    if (stream is null)
                    {
                        if (rejection is not null)
                        {
                            Reject(rejection, "tls", peer, rejection switch
                            {
                                "tls_handshake_timeout" => $"no TLS handshake within {settings.Tls.HandshakeTimeout}",
                                "unknown_client_certificate" => "the client certificate is not pinned to any source (Ingestion:Syslog:Tls:ClientCertificates)",
                                "no_client_certificate" => "a client certificate is required (Ingestion:Syslog:Tls:RequireClientCertificate)",
                                _ => "the TLS handshake failed",
                            });
                        }

                        return;
                    }

                    await using (stream)
                    {
                        logger.LogInformation("Syslog TLS connection from {Peer} authenticated as {Source}", peer, source ?? "(no client certificate)");
                        await ReadStreamAsync(stream, peer, "tls", source, stoppingToken);
                    }
                }
                finally
                {
                    // Slot first: once the peer sees its connection closed, the slot is already free again.
                    tlsSlots.Release();
                    client.Dispose();
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>Frames off one stream (plain TCP or TLS) until the peer closes, goes idle or breaks the framing.</summary>
    private async Task ReadStreamAsync(Stream stream, EndPoint? peer, string transport, string? submitter, CancellationToken stoppingToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        var frames = new SyslogFrameReader(settings.MaxMessageBytes);
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                idle.CancelAfter(settings.TcpIdleTimeout);
                var result = await reader.ReadAsync(idle.Token);
                var buffer = result.Buffer;
                while (frames.TryRead(ref buffer, out var frame, out var rejection, out var fatal))
                {
                    metrics.SyslogReceived(transport);
                    if (rejection is not null)
                    {
                        Reject(rejection, transport, peer, null);
                        if (fatal)
                        {
                            // The framing is lost (we cannot tell where the next message starts): drop the connection.
                            return;
                        }

                        continue;
                    }

                    await queue!.Writer.WriteAsync(new SyslogWork(frame.ToArray(), transport, peer, submitter), stoppingToken);
                }

                if (result.IsCompleted)
                {
                    if (frames.TryReadTail(ref buffer, out var tail, out var tailRejection))
                    {
                        metrics.SyslogReceived(transport);
                        if (tailRejection is not null)
                        {
                            Reject(tailRejection, transport, peer, null);
                        }
                        else
                        {
                            await queue!.Writer.WriteAsync(new SyslogWork(tail.ToArray(), transport, peer, submitter), stoppingToken);
                        }
                    }

                    reader.AdvanceTo(buffer.End);
                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Syslog {Transport} connection from {Peer} closed after {IdleTimeout} idle", transport, peer, settings.TcpIdleTimeout);
        }
        catch (OperationCanceledException)
        {
            // Host shutdown: the connection just ends.
            return;
        }
        catch (IOException ex)
        {
            logger.LogDebug(ex, "Syslog {Transport} connection from {Peer} dropped", transport, peer);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue!.Reader.ReadAllAsync(stoppingToken))
            {
                await ProcessAsync(work, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Host shutdown.
            return;
        }
    }

    /// <summary>Parses, validates, assigns and publishes one message; every failure is a counted rejection.</summary>
    internal async Task ProcessAsync(SyslogWork work, CancellationToken stoppingToken)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(work.Bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            Reject("invalid_encoding", work.Transport, work.Peer, null);
            return;
        }

        Contracts.NormalizedAlert alert;
        try
        {
            var message = SyslogParser.Parse(text);
            // Only a pinned TLS client certificate says who sent a syslog message; a plain sender is nobody.
            alert = AlertIngestor.SubmittedBy(ingestor.WithFingerprint(SyslogAlertMapper.Map(message, text, DateTimeOffset.UtcNow)), work.Submitter);
        }
        catch (SyslogRejectedException ex)
        {
            Reject(ex.Reason, work.Transport, work.Peer, ex.Message);
            return;
        }

        var validation = ingestor.Validate(alert);
        if (!validation.IsValid)
        {
            Reject("invalid_alert", work.Transport, work.Peer, string.Join("; ", validation.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
            return;
        }

        // No producer will resend a syslog message, so transient broker/database failures are retried here.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ingestor.AssignAndPublishAsync(alert, bus, stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not ValidationException)
            {
                if (attempt >= 3)
                {
                    logger.LogError(ex, "Syslog alert {AlertId} from {Peer} dropped: not confirmed after {Attempts} attempts", alert.AlertId, work.Peer, attempt);
                    Reject("unavailable", work.Transport, work.Peer, null);
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), stoppingToken);
            }
        }
    }

    private void Reject(string reason, string transport, EndPoint? peer, string? detail)
    {
        metrics.SyslogRejected(reason, transport);
        var count = rejectionsByReason.AddOrUpdate(reason, 1, (_, n) => n + 1);
        // A garbage flood must not become a log flood: the 1st, 10th, 100th... and every 1000th per reason.
        if (count <= 10 || (count < 1000 && IsPowerOfTen(count)) || count % 1000 == 0)
        {
            logger.LogWarning("Syslog message from {Peer} over {Transport} dropped ({Reason}, {Count} so far): {Detail}", peer, transport, reason, count, detail ?? reason);
        }
    }

    private static bool IsPowerOfTen(long n)
    {
        while (n >= 10 && n % 10 == 0)
        {
            n /= 10;
        }

        return n == 1;
    }

    /// <summary>One message off the wire; <see cref="Submitter"/> is the source of a pinned TLS client certificate.</summary>
    internal sealed record SyslogWork(byte[] Bytes, string Transport, EndPoint? Peer, string? Submitter);
}
