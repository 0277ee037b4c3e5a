using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SiemAi.EndToEnd.Tests;

/// <summary>
/// Each supported format, as the product sends it, through the assembled host (all roles) over real HTTP,
/// UDP and TCP, ends as an incident with the right asset and severity and its alert_received event.
/// </summary>
public sealed class When_every_format_reaches_the_assembled_host(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    public static TheoryData<string, string, string, string> Webhooks => new()
    {
        { "splunk", "webhook", "high", """{"result":{"host":"ASSET","src":"203.0.113.9","user":"alice","severity":"high","_time":"1740823200.5","count":"37"},"sid":"scheduler__admin__search__RMD5_at_1740823200_42","results_link":"http://splunk:8000/app/search/@go?sid=x","search_name":"Excessive failed logins MARK","app":"search","owner":"admin"}""" },
        { "alertmanager", "webhook", "critical", """{"version":"4","groupKey":"{}:{alertname=\"HighCPU\"}","truncatedAlerts":0,"status":"firing","receiver":"siemai","groupLabels":{"alertname":"HighCPU"},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am:9093","alerts":[{"status":"firing","labels":{"alertname":"HighCPU MARK","instance":"ASSET:9100","severity":"critical"},"annotations":{"summary":"CPU above 95%"},"startsAt":"2025-03-01T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom:9090/graph","fingerprint":"MARK"}]}""" },
        { "wazuh", "webhook", "high", """{"timestamp":"2025-03-01T10:00:00.123+0000","rule":{"level":10,"description":"sshd: brute force MARK","id":"5712","mitre":{"id":["T1110"]},"groups":["sshd"]},"agent":{"id":"003","name":"ASSET","ip":"10.0.0.12"},"id":"1740823200.1","full_log":"Failed password for invalid user admin from 198.51.100.7","data":{"srcip":"198.51.100.7","dstuser":"admin"}}""" },
        { "elastic", "webhook", "high", """{"rule":{"id":"r1","name":"Suspicious PowerShell MARK"},"context":{"alerts":[{"@timestamp":"2025-03-01T10:00:00Z","kibana.alert.rule.name":"Suspicious PowerShell MARK","kibana.alert.rule.rule_id":"pwsh-MARK","kibana.alert.severity":"high","kibana.alert.reason":"process event on ASSET MARK","host":{"name":"ASSET"},"user":{"name":"bob"},"source":{"ip":"192.0.2.44"}}]}}""" },
        { "generic", "generic", "medium", """{"source":"edr","title":"Credential dumping MARK","severity":"medium","host":"ASSET","sourceIp":"10.1.2.3","ruleId":"EDR-MARK"}""" },
        { "cef", "cef", "high", "CEF:0|Acme|IDS|2.3|sig-MARK|Port sweep MARK|8|src=198.51.100.3 dst=10.0.0.9 dhost=ASSET" },
    };

    [Theory]
    [MemberData(nameof(Webhooks))]
    public async Task A_webhook_alert_becomes_an_incident(string format, string path, string severity, string template)
    {
        var (asset, body) = Fill(template);
        using var http = new HttpClient { BaseAddress = pipeline.Host.BaseAddress };
        http.DefaultRequestHeaders.Add("X-API-Key", pipeline.IngestKey);
        using var content = new StringContent(body, Encoding.UTF8, format == "cef" ? "text/plain" : "application/json");
        using var response = await http.PostAsync($"ingest/{path}", content);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        await AssertIncidentAsync(asset, severity, format);
    }

    public static TheoryData<string, string, string> SyslogLines => new()
    {
        { "rfc5424", "critical", "<34>1 2025-03-01T10:00:00.003Z ASSET sshd 8710 ID47 [auth@32473 user=\"dave\" src=\"198.51.100.23\"] Failed password for dave MARK" },
        { "rfc3164", "low", "<13>Mar  1 10:00:00 ASSET sudo[991]: pam_unix: auth failure MARK" },
        { "cef-in-syslog", "high", "<134>Mar  1 10:00:00 ASSET CEF:0|Acme|IDS|2.3|sig-9|Port sweep MARK|8|src=198.51.100.3 dst=10.0.0.9" },
    };

    [Theory]
    [MemberData(nameof(SyslogLines))]
    public async Task A_syslog_message_over_udp_becomes_an_incident(string kind, string severity, string template)
    {
        var (asset, line) = Fill(template);
        using var udp = new UdpClient();
        await udp.SendAsync(Encoding.UTF8.GetBytes(line), new IPEndPoint(IPAddress.Loopback, pipeline.Host.SyslogUdpPort));

        await AssertIncidentAsync(asset, severity, kind);
    }

    [Theory]
    [MemberData(nameof(SyslogLines))]
    public async Task A_syslog_message_over_tcp_with_octet_counting_becomes_an_incident(string kind, string severity, string template)
    {
        var (asset, line) = Fill(template);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, pipeline.Host.SyslogTcpPort);
        var bytes = Encoding.UTF8.GetBytes(line);
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length} ").Concat(bytes).ToArray());
        await tcp.GetStream().FlushAsync();

        await AssertIncidentAsync(asset, severity, kind);
    }

    private static (string Asset, string Text) Fill(string template)
    {
        var mark = Guid.NewGuid().ToString("N")[..10];
        var asset = $"fmt-{mark}";
        return (asset, template.Replace("ASSET", asset, StringComparison.Ordinal).Replace("MARK", mark, StringComparison.Ordinal));
    }

    private async Task AssertIncidentAsync(string asset, string severity, string what)
    {
        var found = await PipelineFixture.WaitAsync(async () =>
        {
            await using var command = pipeline.Db.CreateCommand("SELECT incident_id::text || ' ' || severity FROM incidents WHERE asset = $1");
            command.Parameters.AddWithValue(asset);
            return await command.ExecuteScalarAsync() as string;
        }, $"{what} incident for asset {asset}");
        var parts = found.Split(' ');
        Assert.Equal(severity, parts[1]);
        var stream = await pipeline.StreamAsync(Guid.Parse(parts[0]));
        Assert.Equal("alert_received", stream[0]);
    }
}
