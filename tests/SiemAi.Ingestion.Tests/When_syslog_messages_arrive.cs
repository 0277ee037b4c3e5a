using System.Net;
using System.Net.Sockets;
using System.Text;
using SiemAi.Contracts;
using SiemAi.Ingestion.Tests.Support;

namespace SiemAi.Ingestion.Tests;

public sealed class When_syslog_messages_arrive(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private TestApp App => fixture.App;

    private static string Marker() => "m" + Guid.NewGuid().ToString("N")[..12];

    private async Task SendUdpAsync(string message)
    {
        using var udp = new UdpClient();
        await udp.SendAsync(Encoding.UTF8.GetBytes(message), new IPEndPoint(IPAddress.Loopback, App.Syslog.UdpPort!.Value));
    }

    private async Task<TcpClient> ConnectTcpAsync()
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, App.Syslog.TcpPort!.Value);
        return tcp;
    }

    private Task<AlertReceived> ReceivedAsync(string marker) => App.Collector.WaitForAsync(m => m.Alert.RawPayload.Contains(marker, StringComparison.Ordinal));

    [Fact]
    public async Task Turns_an_rfc5424_datagram_with_structured_data_into_an_alert()
    {
        var marker = Marker();
        var message = $"<34>1 2025-03-01T10:00:00.003Z mail-1.lab sshd 8710 ID47 [auth@32473 user=\"dave\" src=\"198.51.100.23\" note=\"a \\\"quoted\\\" \\] value\"][mitre@32473 technique=\"T1110.001\"] \uFEFFFailed password for dave {marker}";
        await SendUdpAsync(message);

        var alert = (await ReceivedAsync(marker)).Alert;
        Assert.Equal("rfc5424", alert.Format);
        Assert.Equal("sshd", alert.SourceSystem);
        Assert.Equal("ID47", alert.RuleId);
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Equal("mail-1.lab", alert.Asset);
        Assert.Equal("dave", alert.User);
        Assert.Equal("198.51.100.23", alert.SourceIp);
        Assert.Equal(["T1110.001"], alert.MitreTechniques);
        Assert.Equal("a \"quoted\" ] value", alert.Fields["sd.auth@32473.note"]);
        Assert.Equal($"Failed password for dave {marker}", alert.Title);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, 3, TimeSpan.Zero), alert.ObservedAt);
        Assert.Equal(message, alert.RawPayload);
    }

    [Theory]
    [InlineData("<13>Mar  1 10:00:00 web-3 sudo[991]: pam_unix: auth failure {0}", "web-3", "sudo", Severity.Low)]
    [InlineData("<187>000123: *Mar  1 18:46:11.123: %SEC-6-IPACCESSLOGP: list 101 denied tcp {0}", null, "_SEC-6-IPACCESSLOGP", Severity.High)]
    [InlineData("<36>Mar 1 2025 10:00:00 fw-2 kernel: dropped packet {0}", "fw-2", "kernel", Severity.Medium)]
    [InlineData("<30>2025-03-01T10:00:00+01:00 nas-1 smbd: share accessed {0}", "nas-1", "smbd", Severity.Info)]
    public async Task Reads_rfc3164_vendor_variations(string template, string? host, string source, Severity severity)
    {
        var marker = Marker();
        await SendUdpAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker));

        var alert = (await ReceivedAsync(marker)).Alert;
        Assert.Equal("rfc3164", alert.Format);
        Assert.Equal(host, alert.Asset);
        Assert.Equal(source, alert.SourceSystem);
        Assert.Equal(severity, alert.Severity);
        Assert.EndsWith(marker, alert.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parses_cef_carried_inside_syslog_with_the_syslog_host_as_fallback_asset()
    {
        var marker = Marker();
        await SendUdpAsync($"<134>Mar  1 10:00:00 ids-1 CEF:0|Acme|IDS|2.3|sig-9|Port sweep {marker}|8|src=198.51.100.3 dst=10.0.0.9");

        var alert = (await ReceivedAsync(marker)).Alert;
        Assert.Equal("cef", alert.Format);
        Assert.Equal("ids-1", alert.Asset);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal("rfc3164", alert.Fields["syslog.format"]);
    }

    [Fact]
    public async Task Reassembles_octet_counted_frames_split_across_tcp_writes_and_newline_frames_in_one_write()
    {
        var counted = $"<13>1 2025-03-01T10:00:00Z host-a app - - - counted {Marker()}";
        var bytes = Encoding.UTF8.GetBytes(counted);
        var framed = Encoding.UTF8.GetBytes($"{bytes.Length} ").Concat(bytes).ToArray();
        var lineA = $"<13>Mar  1 10:00:00 host-b app: line one {Marker()}";
        var lineB = $"<13>Mar  1 10:00:00 host-b app: line two {Marker()}";

        using var tcp = await ConnectTcpAsync();
        var stream = tcp.GetStream();
        // Split inside the length prefix and inside the message.
        await stream.WriteAsync(framed.AsMemory(0, 1));
        await stream.FlushAsync();
        await Task.Delay(100);
        await stream.WriteAsync(framed.AsMemory(1, 10));
        await stream.FlushAsync();
        await Task.Delay(100);
        await stream.WriteAsync(framed.AsMemory(11));
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"{lineA}\r\n{lineB}\n"));
        await stream.FlushAsync();

        Assert.Equal(counted, (await ReceivedAsync(counted[^13..])).Alert.RawPayload);
        Assert.Equal(lineA, (await ReceivedAsync(lineA[^13..])).Alert.RawPayload);
        Assert.Equal(lineB, (await ReceivedAsync(lineB[^13..])).Alert.RawPayload);
    }

    [Fact]
    public async Task Counts_and_drops_garbage_and_keeps_listening()
    {
        using var rejected = new MetricCounter(App.MeterFactory, "siemai_syslog_rejected_total", "reason");
        await SendUdpAsync("hello, not syslog");
        await SendUdpAsync("<999>1 - - - - - - too high");
        await SendUdpAsync("<13>1 notatime host app - - - bad time");
        await SendUdpAsync("<13>1 2025-03-01T10:00:00Z host app - - [unterminated x=\"1\" oops");
        using (var udp = new UdpClient())
        {
            await udp.SendAsync(new byte[] { (byte)'<', (byte)'1', (byte)'3', (byte)'>', 0xC3, 0x28, 0xFF }, new IPEndPoint(IPAddress.Loopback, App.Syslog.UdpPort!.Value));
        }

        await SendUdpAsync("<13>Mar  1 10:00:00 web-1 app: src ok but user bad " + "[x@1 user=\"a;b\"]");
        await SendUdpAsync("<13>1 2025-03-01T10:00:00Z host app - - [x@1 src=\"999.1.1.1\"] invalid ip");
        await SendUdpAsync("<13>" + new string('x', 3000));

        await rejected.WaitForAsync("invalid_pri", 2);
        await rejected.WaitForAsync("invalid_rfc5424", 2);
        await rejected.WaitForAsync("invalid_encoding", 1);
        await rejected.WaitForAsync("invalid_alert", 1);
        await rejected.WaitForAsync("oversize", 1);

        var marker = Marker();
        await SendUdpAsync($"<13>Mar  1 10:00:00 web-1 app: still alive {marker}");
        Assert.Equal("web-1", (await ReceivedAsync(marker)).Alert.Asset);
    }

    [Fact]
    public async Task Skips_an_oversize_octet_counted_frame_and_reads_the_next_one_on_the_same_connection()
    {
        using var rejected = new MetricCounter(App.MeterFactory, "siemai_syslog_rejected_total", "reason");
        var huge = "<13>1 - host app - - - " + new string('y', 5000);
        var next = $"<13>1 - host-c app - - - after oversize {Marker()}";
        using var tcp = await ConnectTcpAsync();
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetByteCount(huge)} {huge}{Encoding.UTF8.GetByteCount(next)} {next}"));
        await stream.WriteAsync(Encoding.UTF8.GetBytes(new string('z', 3000) + "\n"));
        var last = $"<13>1 - host-c app - - - after long line {Marker()}";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(last + "\n"));
        await stream.FlushAsync();

        Assert.Equal("host-c", (await ReceivedAsync(next[^13..])).Alert.Asset);
        Assert.Equal("host-c", (await ReceivedAsync(last[^13..])).Alert.Asset);
        await rejected.WaitForAsync("oversize", 2);
    }

    [Fact]
    public async Task Closes_a_connection_whose_octet_count_is_garbage_and_accepts_new_ones()
    {
        using var rejected = new MetricCounter(App.MeterFactory, "siemai_syslog_rejected_total", "reason");
        using (var bad = await ConnectTcpAsync())
        {
            var stream = bad.GetStream();
            await stream.WriteAsync(Encoding.UTF8.GetBytes("12345678901234 <13>1 - - - - - - x\n"));
            await stream.FlushAsync();
            var buffer = new byte[16];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal(0, await stream.ReadAsync(buffer, timeout.Token));
        }

        await rejected.WaitForAsync("bad_frame", 1);
        var marker = Marker();
        using var good = await ConnectTcpAsync();
        await good.GetStream().WriteAsync(Encoding.UTF8.GetBytes($"<13>Mar  1 10:00:00 web-9 app: fine {marker}"));
        good.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal("web-9", (await ReceivedAsync(marker)).Alert.Asset);
    }
}
