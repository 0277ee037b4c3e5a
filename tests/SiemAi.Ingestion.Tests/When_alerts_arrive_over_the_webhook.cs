using System.Net;
using System.Text.Json;
using SiemAi.Contracts;
using SiemAi.Ingestion.Tests.Support;

namespace SiemAi.Ingestion.Tests;

public sealed class When_alerts_arrive_over_the_webhook(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private TestApp App => fixture.App;

    private static async Task<JsonElement[]> AcceptedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("accepted").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    private async Task<AlertReceived> ReceivedAsync(JsonElement accepted)
    {
        var message = await App.Collector.WaitForAsync(accepted.GetProperty("alertId").GetGuid());
        Assert.Equal(accepted.GetProperty("incidentId").GetGuid(), message.IncidentId);
        Assert.Equal(accepted.GetProperty("fingerprint").GetString(), message.Alert.Fingerprint);
        Assert.Matches("^[0-9a-f]{64}$", message.Alert.Fingerprint);
        return message;
    }

    [Fact]
    public async Task Publishes_a_generic_alert_with_every_field_and_the_raw_body_verbatim()
    {
        var alertId = Guid.NewGuid();
        var body = $$$"""
            {"alertId":"{{{alertId}}}","timestamp":"2025-03-01T10:00:00Z","source":"edr-prod","title":"Credential dumping on web-01",
             "severity":"high","ruleId":"EDR-77","ruleName":"LSASS access","description":"procdump touched lsass",
             "host":"web-01","hostGroups":["webservers"],"user":"svc_backup","sourceIp":"10.1.2.3","destinationIp":"10.1.2.4",
             "destinationPort":445,"process":"procdump.exe","fileHash":"sha256:{{{new string('a', 64)}}}","category":"credential-access",
             "mitreTechniques":["t1003.001"],"fields":{"ticket":"INC-1","score":7}}
            """;
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/generic", body));

        var message = await ReceivedAsync(Assert.Single(accepted));
        var alert = message.Alert;
        Assert.Equal(alertId, alert.AlertId);
        Assert.Equal("generic", alert.Format);
        Assert.Equal("edr-prod", alert.SourceSystem);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal("web-01", alert.Asset);
        Assert.Equal(["webservers"], alert.AssetGroups);
        Assert.Equal("svc_backup", alert.User);
        Assert.Equal("10.1.2.3", alert.SourceIp);
        Assert.Equal(445, alert.DestinationPort);
        Assert.Equal(["T1003.001"], alert.MitreTechniques);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero), alert.ObservedAt);
        Assert.Equal("7", alert.Fields["score"]);
        Assert.Equal(body, alert.RawPayload);
    }

    [Fact]
    public async Task Detects_a_splunk_webhook_and_maps_its_result_row()
    {
        var body = """
            {"result":{"host":"db-02","src":"203.0.113.9","user":"alice","severity":"critical","_time":"1740823200.5","count":"37",
              "mitre_technique_id":"T1110"},
             "sid":"scheduler__admin__search__RMD5a1b2_at_1740823200_42","results_link":"http://splunk:8000/app/search/@go?sid=x",
             "search_name":"Excessive failed logins","app":"search","owner":"admin"}
            """;
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/webhook", body));

        var alert = (await ReceivedAsync(Assert.Single(accepted))).Alert;
        Assert.Equal("splunk", alert.Format);
        Assert.Equal("Excessive failed logins", alert.RuleName);
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Equal("db-02", alert.Asset);
        Assert.Equal("203.0.113.9", alert.SourceIp);
        Assert.Equal("alice", alert.User);
        Assert.Equal(["T1110"], alert.MitreTechniques);
        Assert.Equal("admin", alert.Fields["owner"]);
        Assert.Equal("search", alert.Fields["app"]);
        Assert.StartsWith("scheduler__admin", alert.Fields["sid"], StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1740823200500), alert.ObservedAt);
        Assert.Equal(body, alert.RawPayload);
    }

    [Fact]
    public async Task Splits_an_alertmanager_batch_into_one_alert_each()
    {
        var body = """
            {"version":"4","groupKey":"{}:{alertname=\"HighCPU\"}","truncatedAlerts":0,"status":"firing","receiver":"siemai",
             "groupLabels":{"alertname":"HighCPU"},"commonLabels":{"alertname":"HighCPU"},"commonAnnotations":{},"externalURL":"http://am:9093",
             "alerts":[
              {"status":"firing","labels":{"alertname":"HighCPU","instance":"10.0.0.5:9100","severity":"warning"},
               "annotations":{"summary":"CPU above 95% on 10.0.0.5"},"startsAt":"2025-03-01T10:00:00Z","endsAt":"0001-01-01T00:00:00Z",
               "generatorURL":"http://prom:9090/graph","fingerprint":"c6a1b2f0e4d3a2b1"},
              {"status":"firing","labels":{"alertname":"HighCPU","instance":"app-3.lab:9100","severity":"critical","mitre":"T1496"},
               "annotations":{"summary":"CPU above 95% on app-3"},"startsAt":"2025-03-01T10:01:00Z","endsAt":"0001-01-01T00:00:00Z",
               "generatorURL":"http://prom:9090/graph","fingerprint":"d7b2c3a1f5e4b3c2"}]}
            """;
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/webhook", body));

        Assert.Equal(2, accepted.Length);
        var first = (await ReceivedAsync(accepted[0])).Alert;
        var second = (await ReceivedAsync(accepted[1])).Alert;
        Assert.Equal("alertmanager", first.Format);
        Assert.Equal(Severity.Medium, first.Severity);
        Assert.Equal("10.0.0.5", first.Asset);
        Assert.Equal("c6a1b2f0e4d3a2b1", first.Fields["fingerprint"]);
        Assert.Equal("firing", first.Fields["status"]);
        Assert.Equal(Severity.Critical, second.Severity);
        Assert.Equal("app-3.lab", second.Asset);
        Assert.Equal(["T1496"], second.MitreTechniques);
        Assert.NotEqual(first.Fingerprint, second.Fingerprint);
        Assert.Contains("\"fingerprint\":\"d7b2c3a1f5e4b3c2\"", second.RawPayload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detects_a_wazuh_alert_and_maps_rule_agent_and_data()
    {
        var body = """
            {"timestamp":"2025-03-01T10:00:00.123+0000","rule":{"level":10,"description":"sshd: brute force trying to get access to the system.",
              "id":"5712","mitre":{"id":["T1110"],"tactic":["Credential Access"]},"groups":["syslog","sshd","authentication_failures"]},
             "agent":{"id":"003","name":"bastion-1","ip":"10.0.0.12"},"manager":{"name":"wazuh-manager"},"id":"1740823200.12345",
             "full_log":"Mar  1 10:00:00 bastion-1 sshd[1234]: Failed password for invalid user admin from 198.51.100.7 port 51234 ssh2",
             "decoder":{"name":"sshd"},"data":{"srcip":"198.51.100.7","srcport":"51234","dstuser":"admin"},"location":"/var/log/auth.log"}
            """;
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/webhook", body));

        var alert = (await ReceivedAsync(Assert.Single(accepted))).Alert;
        Assert.Equal("wazuh", alert.Format);
        Assert.Equal("5712", alert.RuleId);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal("bastion-1", alert.Asset);
        Assert.Equal("198.51.100.7", alert.SourceIp);
        Assert.Equal("admin", alert.User);
        Assert.Equal(["T1110"], alert.MitreTechniques);
        Assert.Equal("syslog", alert.Category);
        Assert.Contains("Failed password", alert.Description, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 0, 0, 123, TimeSpan.Zero), alert.ObservedAt);
    }

    [Fact]
    public async Task Detects_a_kibana_connector_body_with_ecs_alert_documents()
    {
        var body = """
            {"rule":{"id":"a1b2-rule","name":"Suspicious PowerShell","tags":["windows"]},
             "context":{"alerts":[
              {"@timestamp":"2025-03-01T10:00:00Z","kibana.alert.rule.name":"Suspicious PowerShell","kibana.alert.rule.rule_id":"pwsh-enc",
               "kibana.alert.severity":"high","kibana.alert.reason":"process event on win-07 created high alert Suspicious PowerShell",
               "host":{"name":"win-07"},"user":{"name":"bob"},"source":{"ip":"192.0.2.44"},"process":{"executable":"C:\\Windows\\powershell.exe"},
               "kibana.alert.rule.threat":[{"framework":"MITRE ATT&CK","technique":[{"id":"T1059","subtechnique":[{"id":"T1059.001"}]}]}]}]}}
            """;
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/webhook", body));

        var alert = (await ReceivedAsync(Assert.Single(accepted))).Alert;
        Assert.Equal("elastic", alert.Format);
        Assert.Equal("pwsh-enc", alert.RuleId);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Equal("win-07", alert.Asset);
        Assert.Equal("bob", alert.User);
        Assert.Equal("192.0.2.44", alert.SourceIp);
        Assert.Equal(["T1059", "T1059.001"], alert.MitreTechniques);
        Assert.StartsWith("process event on win-07", alert.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_a_single_ecs_document_with_dotted_keys_and_a_risk_score()
    {
        var body = """
            {"@timestamp":"2025-03-01T11:00:00Z","rule.name":"Port scan","rule.id":"scan-1","host.name":"fw-1","source.ip":"198.51.100.1",
             "destination.ip":"10.0.0.1","destination.port":22,"event.risk_score":80,"threat.technique.id":["T1046"]}
            """;
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/elastic", body));

        var alert = (await ReceivedAsync(Assert.Single(accepted))).Alert;
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Equal("fw-1", alert.Asset);
        Assert.Equal(22, alert.DestinationPort);
        Assert.Equal(["T1046"], alert.MitreTechniques);
    }

    [Fact]
    public async Task Reads_cef_lines_with_escaped_pipes_equals_and_newlines()
    {
        var body = "CEF:0|Security|threat\\|manager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232 dpt=445 " +
                   "duser=bob dhost=files-1 msg=detected a \\= sign\\nsecond line cs1Label=mitre cs1=T1210 cat=/Worm\n" +
                   "CEF:0|Acme|IDS|2.3|sig-9|Port sweep|Medium|src=198.51.100.3 dhost=files-1\n";
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/cef", body, "text/plain"));

        Assert.Equal(2, accepted.Length);
        var worm = (await ReceivedAsync(accepted[0])).Alert;
        Assert.Equal("cef", worm.Format);
        Assert.Equal("security-threat_manager", worm.SourceSystem);
        Assert.Equal("threat|manager", worm.Fields["cef.deviceProduct"]);
        Assert.Equal("100", worm.RuleId);
        Assert.Equal(Severity.Critical, worm.Severity);
        Assert.Equal("files-1", worm.Asset);
        Assert.Equal("bob", worm.User);
        Assert.Equal(445, worm.DestinationPort);
        Assert.Equal("detected a = sign\nsecond line", worm.Description);
        Assert.Equal(["T1210"], worm.MitreTechniques);
        Assert.Equal("/Worm", worm.Category);
        var sweep = (await ReceivedAsync(accepted[1])).Alert;
        Assert.Equal(Severity.Medium, sweep.Severity);
        Assert.Equal("CEF:0|Acme|IDS|2.3|sig-9|Port sweep|Medium|src=198.51.100.3 dhost=files-1", sweep.RawPayload);
    }

    [Fact]
    public async Task Attaches_alerts_with_the_same_fingerprint_to_one_incident()
    {
        string Body() => """{"source":"ids","title":"Beacon to known C2","severity":"medium","host":"lab-9","sourceIp":"10.9.9.9","ruleId":"C2-1"}""";
        var first = Assert.Single(await AcceptedAsync(await App.PostAsync("/ingest/webhook", Body())));
        var second = Assert.Single(await AcceptedAsync(await App.PostAsync("/ingest/webhook", Body())));
        var other = Assert.Single(await AcceptedAsync(await App.PostAsync("/ingest/webhook", Body().Replace("lab-9", "lab-10", StringComparison.Ordinal))));

        Assert.True(first.GetProperty("newIncident").GetBoolean());
        Assert.False(second.GetProperty("newIncident").GetBoolean());
        Assert.Equal(first.GetProperty("incidentId").GetGuid(), second.GetProperty("incidentId").GetGuid());
        Assert.NotEqual(first.GetProperty("incidentId").GetGuid(), other.GetProperty("incidentId").GetGuid());
        Assert.Equal(first.GetProperty("incidentId").GetGuid(), (await ReceivedAsync(second)).IncidentId);
        var count = await IngestionDatabase.ScalarAsync<long>(fixture.Database,
            $"SELECT alert_count FROM ingestion_incidents WHERE incident_id = '{first.GetProperty("incidentId").GetGuid()}'");
        Assert.Equal(2, count);
    }

    [Fact]
    public async Task Accepts_a_generic_array_as_a_batch()
    {
        var body = """[{"source":"a","title":"one","severity":2},{"source":"b","title":"two","severity":"low"}]""";
        var accepted = await AcceptedAsync(await App.PostAsync("/ingest/webhook", body));

        Assert.Equal(2, accepted.Length);
        Assert.Equal(Severity.Info, (await ReceivedAsync(accepted[0])).Alert.Severity);
        Assert.Equal("""{"source":"b","title":"two","severity":"low"}""", (await ReceivedAsync(accepted[1])).Alert.RawPayload);
    }
}
