using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SiemAi.Faults.Tests;

/// <summary>
/// The fuzz set: malformed inputs for every ingestion path and the approval API, generated from a fixed seed
/// (the same cases on every run) plus hand-picked ones. Every case is built so its answer is known: a strict
/// prefix of a JSON object is never JSON, a 0xFF byte is never UTF-8, a line without '&lt;' has no PRI.
/// </summary>
public static class MalformedInputs
{
    public const int Seed = 7807;

    public static readonly string[] JsonPaths = ["webhook", "generic", "splunk", "elastic", "wazuh", "alertmanager", "sentinel", "qradar"];

    /// <summary>A valid payload per format: the material truncation and byte damage start from.</summary>
    public static readonly Dictionary<string, string> Samples = new()
    {
        ["generic"] = """{"source":"edr","title":"Credential dumping","severity":"medium","host":"fz-1","sourceIp":"10.1.2.3","ruleId":"EDR-1"}""",
        ["webhook"] = """{"source":"edr","title":"Credential dumping","severity":"medium","host":"fz-2","sourceIp":"10.1.2.4","ruleId":"EDR-2"}""",
        ["splunk"] = """{"result":{"host":"fz-3","src":"203.0.113.9","user":"alice","severity":"high","_time":"1740823200.5","count":"37"},"sid":"scheduler__admin__search__RMD5_at_1740823200_42","results_link":"http://splunk:8000/app/search/@go?sid=x","search_name":"Excessive failed logins","app":"search","owner":"admin"}""",
        ["alertmanager"] = """{"version":"4","groupKey":"{}:{alertname=\"HighCPU\"}","truncatedAlerts":0,"status":"firing","receiver":"siemai","groupLabels":{"alertname":"HighCPU"},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am:9093","alerts":[{"status":"firing","labels":{"alertname":"HighCPU","instance":"fz-4:9100","severity":"critical"},"annotations":{"summary":"CPU above 95%"},"startsAt":"2025-03-01T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom:9090/graph","fingerprint":"f1"}]}""",
        ["wazuh"] = """{"timestamp":"2025-03-01T10:00:00.123+0000","rule":{"level":10,"description":"sshd: brute force","id":"5712","mitre":{"id":["T1110"]},"groups":["sshd"]},"agent":{"id":"003","name":"fz-5","ip":"10.0.0.12"},"id":"1740823200.1","full_log":"Failed password for invalid user admin from 198.51.100.7","data":{"srcip":"198.51.100.7","dstuser":"admin"}}""",
        ["elastic"] = """{"rule":{"id":"r1","name":"Suspicious PowerShell"},"context":{"alerts":[{"@timestamp":"2025-03-01T10:00:00Z","kibana.alert.rule.name":"Suspicious PowerShell","kibana.alert.rule.rule_id":"pwsh-1","kibana.alert.severity":"high","kibana.alert.reason":"process event on fz-6","host":{"name":"fz-6"},"user":{"name":"bob"},"source":{"ip":"192.0.2.44"}}]}}""",
        ["cef"] = "CEF:0|Acme|IDS|2.3|sig-1|Port sweep|8|src=198.51.100.3 dst=10.0.0.9 dhost=fz-7",
        ["sentinel"] = SiemAi.Testing.ProducerSamples.Fill(SiemAi.Testing.ProducerSamples.SentinelIncident, "fz000008", "fz-8"),
        ["qradar"] = SiemAi.Testing.ProducerSamples.Fill(SiemAi.Testing.ProducerSamples.QRadarOffense, "fz-9", "fz-9", 9009),
    };

    private static readonly string[] WrongJsonContentTypes =
    [
        "application/xml", "text/html", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/octet-stream", "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "image/png",
    ];

    private static readonly string[] NotAlerts = ["[]", "42", "\"alert\"", "null", "true", "{}", "[1,2,3]", """{"foo":{"bar":[]}}""", "[[],[]]", "-0.0e7"];

    /// <summary>Generic alerts with one field of the wrong type or value: the strict schema names it.</summary>
    private static readonly (string Field, JsonNode? Value)[] WrongFields =
    [
        ("title", 123), ("title", new JsonObject()), ("title", new JsonArray()), ("severity", "urgent"), ("severity", 99),
        ("sourceIp", "999.1.1.1"), ("sourceIp", "not-an-ip"), ("destinationIp", "10.0.0"), ("destinationPort", "abc"), ("destinationPort", 70000),
        ("alertId", "00000000-0000-0000-0000-000000000000"), ("hostGroups", 5), ("fields", new JsonArray()),
        ("source", ""), ("title", ""), ("timestamp", "yesterday"), ("mitreTechniques", new JsonObject()), ("title", new string('x', 5000)),
    ];

    /// <summary>
    /// Generic alerts a strict key sends: anything outside the schema is refused, naming it, and so are the
    /// looser values the liberal reading takes (a producer's own id, a port as text, one technique as text).
    /// </summary>
    private static readonly (string Field, JsonNode? Value)[] NotInTheSchema =
    [
        ("titel", "typo"), ("rule_id", "R-1"), ("src_ip", "10.0.0.1"), ("vendor_score", 87), ("detection", new JsonObject { ["engine"] = "yara" }),
        ("alertId", "not-a-guid"), ("destinationPort", "22"), ("mitreTechniques", "T1110"), ("hostGroups", "web"),
    ];

    /// <summary>Liberal generic bodies that are still wrong: spellings that disagree, bad values under other names, extras past the bounds.</summary>
    private static IEnumerable<(string Name, string Body, string[] Types)> LiberalButWrong()
    {
        yield return ("ruleId and rule_id disagree", """{"source":"s","title":"t","severity":"low","ruleId":"A","rule_id":"B"}""", ["ambiguous-field"]);
        yield return ("host and hostname disagree", """{"source":"s","title":"t","severity":"low","host":"a","hostname":"b"}""", ["ambiguous-field"]);
        yield return ("src_ip and source.ip disagree", """{"source_system":"s","title":"t","severity":"low","src_ip":"10.0.0.1","source":{"ip":"10.0.0.2"}}""", ["ambiguous-field"]);
        yield return ("mitre and techniques disagree", """{"source":"s","title":"t","severity":"low","mitre":["T1110"],"techniques":["T1078"]}""", ["ambiguous-field"]);
        yield return ("extra field clashes with fields entry", """{"source":"s","title":"t","severity":"low","ticket":"A","fields":{"ticket":"B"}}""", ["ambiguous-field"]);
        yield return ("src_ip not an address", """{"source":"s","title":"t","severity":"low","src_ip":"10.0.0.999"}""", ["invalid-alert"]);
        yield return ("hostname with a shell", """{"source":"s","title":"t","severity":"low","hostname":"web 01; rm -rf /"}""", ["invalid-alert"]);
        yield return ("dst_port not a number", """{"source":"s","title":"t","severity":"low","dst_port":"22/tcp"}""", ["invalid-payload"]);
        yield return ("sev out of scale", """{"source":"s","title":"t","sev":"99"}""", ["invalid-payload"]);
        yield return ("alert_title an object", """{"source":"s","alert_title":{"text":"x"},"severity":"low"}""", ["invalid-payload"]);
        yield return ("mitre_technique a name", """{"source":"s","title":"t","severity":"low","mitre_technique":"Brute Force"}""", ["invalid-alert"]);
        yield return ("no title in any spelling", """{"source":"s","summary":"t","severity":"low"}""", ["invalid-payload"]);
        var extras = string.Join(",", Enumerable.Range(0, 301).Select(n => $"\"x{n}\":{n}"));
        yield return ("301 unmapped fields", $$"""{"source":"s","title":"t","severity":"low",{{extras}}}""", ["invalid-alert"]);
        yield return ("unmapped value over 4096 characters", $$"""{"source":"s","title":"t","severity":"low","note":"{{new string('n', 5000)}}"}""", ["invalid-alert"]);
        yield return ("unmapped path over 128 characters", $$$"""{"source":"s","title":"t","severity":"low","{{{new string('a', 70)}}}":{"{{{new string('b', 70)}}}":1}}""", ["invalid-alert"]);
    }

    public static IReadOnlyList<HttpCase> Webhook(string ingestKey, string signedKey, string hmacSecret, string strictKey)
    {
        var random = new Random(Seed);
        var cases = new List<HttpCase>();

        HttpRequestMessage Post(string path, byte[] body, string? contentType, string? key, string? signature = null, bool chunked = false)
        {
            HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            if (contentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            var request = new HttpRequestMessage(HttpMethod.Post, $"ingest/{path}") { Content = content };
            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("X-API-Key", key);
            }

            if (signature is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Signature-256", signature);
            }

            if (chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }

            return request;
        }

        void Add(string name, int status, string[] types, Func<HttpRequestMessage> request) => cases.Add(new HttpCase(name, request, status, types));

        foreach (var path in JsonPaths.Append("cef"))
        {
            var sample = Encoding.UTF8.GetBytes(Samples[path]);
            var type = path == "cef" ? "text/plain" : "application/json";

            // Keys and signatures.
            Add($"{path}: no API key", 401, ["missing-api-key"], () => Post(path, sample, type, null));
            for (var i = 0; i < 3; i++)
            {
                var wrong = RandomText(random, random.Next(1, 80), Printable);
                Add($"{path}: unknown API key #{i}", 401, ["invalid-api-key"], () => Post(path, sample, type, wrong));
            }

            Add($"{path}: signed key without a signature", 401, ["missing-signature"], () => Post(path, sample, type, signedKey));
            var signatures = new[]
            {
                "sha256=" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                "sha256=" + RandomText(random, 64, "ghijklmnopqrstuvwxyz"),
                "sha512=" + Convert.ToHexStringLower(SHA512.HashData(sample)),
                Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hmacSecret), sample)),
                "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hmacSecret), sample.Append((byte)' ').ToArray())),
                "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("not the secret"), sample)),
            };
            foreach (var (signature, i) in signatures.Select((s, i) => (s, i)))
            {
                Add($"{path}: wrong signature #{i}", 401, ["invalid-signature"], () => Post(path, sample, type, signedKey, signature));
            }

            // Content types.
            var wrongTypes = path switch
            {
                "cef" => ["application/json", "application/xml", "text/plain; charset=iso-8859-1", "text/csv"],
                "webhook" => WrongJsonContentTypes,
                _ => [.. WrongJsonContentTypes, "text/plain"],
            };
            foreach (var wrongType in wrongTypes)
            {
                Add($"{path}: content type {wrongType}", 415, ["unsupported-media-type"], () => Post(path, sample, wrongType, ingestKey));
            }

            Add($"{path}: no content type", 415, ["unsupported-media-type"], () => Post(path, sample, null, ingestKey));
            Add($"{path}: empty body", 400, ["empty-body"], () => Post(path, [], type, ingestKey));

            // Bytes that are not UTF-8.
            foreach (var bad in new byte[][] { [0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xF0, 0x28, 0x8C, 0xBC], [0xED, 0xA0, 0x80] })
            {
                var at = random.Next(1, sample.Length - 1);
                byte[] damaged = [.. sample[..at], .. bad, .. sample[at..]];
                Add($"{path}: invalid UTF-8 {Convert.ToHexString(bad)} at {at}", 400, ["invalid-encoding"], () => Post(path, damaged, type, ingestKey));
            }

            // Too large, announced and streamed.
            var huge = new byte[1024 * 1024 + random.Next(1, 4096)];
            Array.Fill(huge, (byte)' ');
            Add($"{path}: body over 1 MiB with Content-Length", 413, ["body-too-large"], () => Post(path, huge, type, ingestKey));
            Add($"{path}: body over 1 MiB chunked", 413, ["body-too-large"], () => Post(path, huge, type, ingestKey, chunked: true));

            if (path == "cef")
            {
                Add("cef: only blank lines", 400, ["empty-body"], () => Post(path, "\n \r\n\t\n"u8.ToArray(), type, ingestKey));
                for (var i = 0; i < 12; i++)
                {
                    // Not CEF: no "CEF:" anywhere (no ':' in the alphabet), or a CEF header cut short.
                    var line = i % 2 == 0
                        ? RandomText(random, random.Next(1, 300), Printable.Replace(":", ""))
                        : Samples["cef"][..random.Next(1, Samples["cef"].IndexOf("|8|", StringComparison.Ordinal))];
                    Add($"cef: not a CEF line #{i}", 422, ["invalid-payload", "invalid-alert"], () => Post(path, Encoding.UTF8.GetBytes(line), type, ingestKey));
                }

                continue;
            }

            // JSON cut short: a strict prefix of an object is never a JSON document.
            for (var i = 0; i < 10; i++)
            {
                var cut = random.Next(1, sample.Length);
                Add($"{path}: JSON truncated at {cut}", 400, ["invalid-json"], () => Post(path, sample[..cut], type, ingestKey));
            }

            foreach (var garbage in new[] { "{\"a\":}", "{'title':'x'}", "{\"title\":\"x\",}", "{\"a\" 1}", "{\"title\":\"x\"}}", "{\"t\":tru}", "\u0000{}", "{\"a\":1}/*c*/", "NaN", "{\"a\":\"\\q\"}" })
            {
                Add($"{path}: not JSON {garbage}", 400, ["invalid-json"], () => Post(path, Encoding.UTF8.GetBytes(garbage), type, ingestKey));
            }

            // Deep, wide.
            for (var i = 0; i < 3; i++)
            {
                var depth = random.Next(33, 400);
                var deep = new string('[', depth) + new string(']', depth);
                var deepObject = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                Add($"{path}: arrays nested {depth} deep", 422, ["too-deep"], () => Post(path, Encoding.UTF8.GetBytes(deep), type, ingestKey));
                Add($"{path}: objects nested {depth} deep", 422, ["too-deep"], () => Post(path, Encoding.UTF8.GetBytes(deepObject), type, ingestKey));
            }

            for (var i = 0; i < 2; i++)
            {
                var keys = random.Next(2001, 20000);
                var wide = "{" + string.Join(",", Enumerable.Range(0, keys).Select(k => $"\"k{k}\":{k}")) + "}";
                Add($"{path}: {keys} keys", 413, ["too-many-properties"], () => Post(path, Encoding.UTF8.GetBytes(wide), type, ingestKey));
            }

            // Valid JSON that is no alert of this format.
            foreach (var notAlert in NotAlerts)
            {
                Add($"{path}: not an alert {notAlert}", 422, ["invalid-payload", "invalid-alert", "unknown-format"], () => Post(path, Encoding.UTF8.GetBytes(notAlert), type, ingestKey));
            }
        }

        // The strict generic schema, one wrong field at a time, on both JSON routes that read it.
        foreach (var path in new[] { "generic", "webhook" })
        {
            foreach (var (field, value) in WrongFields)
            {
                var alert = JsonNode.Parse(Samples["generic"])!.AsObject();
                alert[field] = value?.DeepClone();
                var body = Encoding.UTF8.GetBytes(alert.ToJsonString());
                Add($"{path}: {field} = {Shorten(value?.ToJsonString() ?? "null")}", 422, ["invalid-payload", "invalid-alert"], () => Post(path, body, "application/json", ingestKey));
            }
        }

        foreach (var path in new[] { "generic", "webhook" })
        {
            foreach (var (field, value) in NotInTheSchema)
            {
                var alert = JsonNode.Parse(Samples["generic"])!.AsObject();
                alert[field] = value?.DeepClone();
                var body = Encoding.UTF8.GetBytes(alert.ToJsonString());
                Add($"{path}: strict key, {field} = {Shorten(value?.ToJsonString() ?? "null")}", 422, ["invalid-payload"], () => Post(path, body, "application/json", strictKey));
            }

            foreach (var (name, text, types) in LiberalButWrong())
            {
                var body = Encoding.UTF8.GetBytes(text);
                // /ingest/webhook first has to recognise a generic body: without a title it cannot.
                string[] expected = path == "webhook" && name.StartsWith("no title", StringComparison.Ordinal) ? [.. types, "unknown-format"] : types;
                Add($"{path}: {name}", 422, expected, () => Post(path, body, "application/json", ingestKey));
            }
        }

        var many = "[" + string.Join(",", Enumerable.Range(0, 501).Select(n => $$"""{"source":"s","title":"t{{n}}","severity":"low"}""")) + "]";
        Add("generic: 501 alerts in one request", 413, ["too-many-alerts"], () => Post("generic", Encoding.UTF8.GetBytes(many), "application/json", ingestKey));
        var oneBad = "[" + string.Join(",", Enumerable.Range(0, 20).Select(n => n == 13 ? """{"source":"s","title":"t","severity":"urgent"}""" : $$"""{"source":"s","title":"t{{n}}","severity":"low"}""")) + "]";
        Add("generic: one bad alert among 20", 422, ["invalid-payload", "invalid-alert"], () => Post("generic", Encoding.UTF8.GetBytes(oneBad), "application/json", ingestKey));

        foreach (var format in new[] { "xml", "syslog", "json", "leef", "splunk2", "generic.json", "g%C3%A9n%C3%A9ric", "generic%20" })
        {
            Add($"unknown format: /ingest/{format}", 404, ["unknown-format"], () => Post(format, Encoding.UTF8.GetBytes(Samples["generic"]), "application/json", ingestKey));
        }

        return cases;
    }

    /// <summary>
    /// Splunk HEC requests that must be refused with HEC's code inside problem details: tokens, channels, bodies
    /// that are no events, events that are no alerts, and a bad event after good ones (nothing of the batch is taken).
    /// </summary>
    public static IReadOnlyList<HecCase> Hec(string ingestKey, string signedKey, string strictKey)
    {
        var random = new Random(Seed + 3);
        var cases = new List<HecCase>();
        var good = """{"time":1740823200,"host":"fz-hec","source":"fuzz","event":{"source":"fuzz","title":"hec fuzz","severity":"low"}}""";

        HttpRequestMessage Post(byte[] body, string? authorization, string path = "services/collector/event", string? channel = null, bool chunked = false)
        {
            HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            if (channel is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Splunk-Request-Channel", channel);
            }

            if (chunked)
            {
                request.Headers.TransferEncodingChunked = true;
            }

            return request;
        }

        void Add(string name, int status, string[] types, int code, Func<HttpRequestMessage> request) => cases.Add(new HecCase("hec: " + name, request, status, types, code));

        var goodBytes = Encoding.UTF8.GetBytes(good);
        var token = "Splunk " + ingestKey;

        // Tokens: HEC's 2 (none), 3 (malformed), 4 (unknown).
        Add("no Authorization", 401, ["missing-api-key"], 2, () => Post(goodBytes, null));
        foreach (var header in new[] { "Bearer " + ingestKey, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + ingestKey)), ingestKey, "Splunk", "Splunk " })
        {
            Add($"Authorization '{Shorten(header)}'", 401, ["invalid-authorization"], 3, () => Post(goodBytes, header));
        }

        for (var i = 0; i < 3; i++)
        {
            var wrong = "Splunk " + RandomText(random, random.Next(1, 80), Letters + "0123456789-");
            Add($"unknown token #{i}", 403, ["invalid-api-key"], 4, () => Post(goodBytes, wrong));
        }

        Add("signed key without a signature", 401, ["invalid-signature"], 3, () => Post(goodBytes, "Splunk " + signedKey));
        foreach (var channel in new[] { "not-a-guid", "123", "{" + Guid.NewGuid() + "" })
        {
            Add($"channel '{Shorten(channel)}'", 400, ["invalid-channel"], 11, () => Post(goodBytes, token, channel: channel));
        }

        Add("ack without a channel", 400, ["missing-channel"], 10, () => Post("""{"acks":[0]}"""u8.ToArray(), token, "services/collector/ack"));
        foreach (var ack in new[] { "", "[]", """{"acks":"0"}""", """{"acks":[0.5]}""", """{"ack":[0]}""" })
        {
            Add($"ack body {Shorten(ack)}", 400, ["invalid-payload"], 6, () => Post(Encoding.UTF8.GetBytes(ack), token, "services/collector/ack", Guid.NewGuid().ToString()));
        }

        // Bodies that are no events.
        Add("empty body", 400, ["empty-body"], 5, () => Post([], token));
        Add("only whitespace", 400, ["empty-body"], 5, () => Post(" \n\t\r\n"u8.ToArray(), token));
        foreach (var bad in new byte[][] { [0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80] })
        {
            var at = random.Next(1, goodBytes.Length - 1);
            byte[] damaged = [.. goodBytes[..at], .. bad, .. goodBytes[at..]];
            Add($"invalid UTF-8 {Convert.ToHexString(bad)} at {at}", 400, ["invalid-encoding"], 6, () => Post(damaged, token));
        }

        for (var i = 0; i < 6; i++)
        {
            var cut = random.Next(1, goodBytes.Length);
            byte[] truncated = [.. goodBytes, .. goodBytes[..cut]];
            Add($"second event truncated at {cut}", 400, ["invalid-json"], 6, () => Post(truncated, token));
        }

        var depth = random.Next(40, 300);
        Add($"event nested {depth} deep", 422, ["too-deep"], 6, () => Post(Encoding.UTF8.GetBytes("{\"event\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth + 1)), token));
        var wide = "{\"event\":{" + string.Join(",", Enumerable.Range(0, 2500).Select(k => $"\"k{k}\":{k}")) + "}}";
        Add("2500 keys", 413, ["too-many-properties"], 6, () => Post(Encoding.UTF8.GetBytes(wide), token));
        var huge = new byte[1024 * 1024 + random.Next(1, 4096)];
        Array.Fill(huge, (byte)' ');
        Add("body over 1 MiB", 413, ["body-too-large"], 6, () => Post(huge, token));
        Add("body over 1 MiB chunked", 413, ["body-too-large"], 6, () => Post(huge, token, chunked: true));

        // Events that are no alerts; each after a good one, so a partial batch would show up as an alert.
        foreach (var (name, evt, status, types, code) in new (string, string, int, string[], int)[]
        {
            ("an array, not an event", "[1,2]", 400, ["invalid-payload"], 6),
            ("a number, not an event", "42", 400, ["invalid-payload"], 6),
            ("no event field", """{"host":"h","time":1}""", 400, ["invalid-payload"], 12),
            ("null event", """{"event":null}""", 400, ["invalid-payload"], 13),
            ("blank event", """{"event":"   "}""", 400, ["invalid-payload"], 13),
            ("empty event object", """{"event":{}}""", 400, ["invalid-payload"], 13),
            ("text that is no CEF", """{"event":"Mar  1 sshd[1]: hello"}""", 400, ["unknown-format"], 6),
            ("broken CEF", """{"event":"CEF:0|Acme|IDS"}""", 400, ["invalid-payload"], 6),
            ("time that is no time", """{"time":"yesterday","event":{"source":"s","title":"t","severity":"low"}}""", 400, ["invalid-payload"], 6),
            ("host an object", """{"host":{"name":"h"},"event":{"source":"s","title":"t","severity":"low"}}""", 400, ["invalid-payload"], 6),
            ("fields not an object", """{"fields":["a"],"event":{"source":"s","title":"t","severity":"low"}}""", 400, ["invalid-payload"], 6),
            ("event without a title", """{"event":{"source":"s","severity":"low"}}""", 400, ["invalid-payload"], 6),
            ("event with a bad address", """{"event":{"source":"s","title":"t","severity":"low","src_ip":"10.0.0.999"}}""", 400, ["invalid-alert"], 6),
            ("event with spellings that disagree", """{"event":{"source":"s","title":"t","severity":"low","host":"a","hostname":"b"}}""", 400, ["ambiguous-field"], 6),
            ("wazuh event with a bad level", """{"event":{"rule":{"level":99,"description":"x"},"agent":{"name":"a"}}}""", 400, ["invalid-payload"], 6),
        })
        {
            var body = Encoding.UTF8.GetBytes(good + "\n" + evt);
            Add(name, status, types, code, () => Post(body, token));
        }

        var unknownProperty = Encoding.UTF8.GetBytes("""{"event":{"source":"s","title":"t","severity":"low","rule_id":"R-1"}}""");
        Add("strict key, property outside the schema", 400, ["invalid-payload"], 6, () => Post(unknownProperty, "Splunk " + strictKey));

        // Small events (the envelope's default source stands in), so the count is what trips, not the property budget.
        var many = string.Concat(Enumerable.Range(0, 501).Select(_ => """{"event":{"title":"t","severity":"low"}}"""));
        Add("501 events", 413, ["too-many-alerts"], 6, () => Post(Encoding.UTF8.GetBytes(many), token));
        return cases;
    }

    /// <summary>Syslog garbage: nothing here has a valid &lt;PRI&gt; or valid UTF-8, or a frame can be read.</summary>
    public static IReadOnlyList<SyslogCase> Syslog(int maxMessageBytes = 16 * 1024)
    {
        var random = new Random(Seed + 1);
        var cases = new List<SyslogCase>();
        for (var i = 0; i < 30; i++)
        {
            var kind = i % 6;
            byte[] bytes = kind switch
            {
                // Random bytes with a 0xFF somewhere: never UTF-8.
                0 => [.. RandomBytes(random, random.Next(1, 400)), 0xFF, .. RandomBytes(random, random.Next(0, 50))],
                // Text without a leading '<'.
                1 => Encoding.UTF8.GetBytes("x" + RandomText(random, random.Next(0, 500), Printable)),
                // A PRI out of range or not a number.
                2 => Encoding.UTF8.GetBytes($"<{random.Next(192, 99999)}>Mar  1 10:00:00 host app: {RandomText(random, 40, Letters)}"),
                3 => Encoding.UTF8.GetBytes($"<{RandomText(random, random.Next(1, 3), "abc-+ ")}>1 - - - - - -"),
                // RFC 5424 with broken structured data.
                4 => Encoding.UTF8.GetBytes($"<34>1 2025-03-01T10:00:00Z host app 1 ID1 [{RandomText(random, random.Next(33, 60), Letters)} a=\"b\"] msg"),
                _ => Encoding.UTF8.GetBytes($"<34>1 2025-13-45T99:00:00Z host app 1 ID1 - {RandomText(random, 20, Letters)}"),
            };
            cases.Add(new SyslogCase($"udp garbage #{i} (kind {kind})", "udp", bytes, 1));
        }

        cases.Add(new SyslogCase("udp oversize datagram", "udp", Encoding.UTF8.GetBytes("<34>1 - h a - - - " + new string('x', maxMessageBytes + 10)), 1));
        cases.Add(new SyslogCase("udp CEF in syslog with a broken header", "udp", "<134>Mar  1 10:00:00 host CEF:0|Acme"u8.ToArray(), 1));
        cases.Add(new SyslogCase("udp unterminated SD-PARAM", "udp", "<34>1 2025-03-01T10:00:00Z host app 1 ID1 [ex@1 a=\"b] msg"u8.ToArray(), 1));

        // TCP: newline-framed garbage lines (letters first, so not octet-counted), several per connection.
        for (var i = 0; i < 6; i++)
        {
            var lines = random.Next(1, 8);
            var text = string.Concat(Enumerable.Range(0, lines).Select(_ => "g" + RandomText(random, random.Next(0, 200), Printable) + "\n"));
            cases.Add(new SyslogCase($"tcp {lines} garbage lines", "tcp", Encoding.UTF8.GetBytes(text), lines));
        }

        cases.Add(new SyslogCase("tcp invalid UTF-8 line", "tcp", [(byte)'<', (byte)'3', (byte)'4', (byte)'>', 0xFF, 0xFE, (byte)'\n'], 1));
        cases.Add(new SyslogCase("tcp octet count that is not a number", "tcp", "12x4 <34>1 - - - - - -\n"u8.ToArray(), 1));
        cases.Add(new SyslogCase("tcp octet count of zero", "tcp", "0 <34>1 - - - - - -\n"u8.ToArray(), 1));
        cases.Add(new SyslogCase("tcp octet count of eleven digits", "tcp", "99999999999 x"u8.ToArray(), 1));
        cases.Add(new SyslogCase("tcp frame cut short at close", "tcp", "300 <34>1 2025-03-01T10:00:00Z host app - - - short"u8.ToArray(), 1));
        cases.Add(new SyslogCase("tcp oversize octet-counted frame, then garbage", "tcp",
            [.. Encoding.ASCII.GetBytes($"{maxMessageBytes + 5} "), .. Enumerable.Repeat((byte)'x', maxMessageBytes + 5), .. "nopri\n"u8.ToArray()], 2));
        cases.Add(new SyslogCase("tcp oversize line", "tcp", [.. Enumerable.Repeat((byte)'y', maxMessageBytes + 100), (byte)'\n'], 1));
        cases.Add(new SyslogCase("tcp unterminated oversize tail", "tcp", [.. Enumerable.Repeat((byte)'z', maxMessageBytes + 100)], 1));
        cases.Add(new SyslogCase("tcp octet-counted garbage", "tcp", "5 hello7 <999>ab"u8.ToArray(), 2));

        // RFC 5425: the same framing garbage inside a TLS session (counted as transport "tls"), and bytes that
        // are no TLS at all on the TLS port (a failed handshake: one rejection, nothing read).
        foreach (var tcp in cases.Where(c => c.Transport == "tcp").ToList())
        {
            cases.Add(new SyslogCase("tls" + tcp.Name[3..], "tls", tcp.Bytes, tcp.Rejections));
        }

        var noTls = new (string Name, byte[] Bytes)[]
        {
            ("plain syslog", "<34>1 2025-03-01T10:00:00Z host app - - - not encrypted\n"u8.ToArray()),
            ("an HTTP request", "GET / HTTP/1.1\r\nHost: siemai\r\n\r\n"u8.ToArray()),
            ("random bytes", [0x00, .. RandomBytes(random, random.Next(1, 300))]),
            ("half a ClientHello", [0x16, 0x03, 0x01, 0x00, 0xC8, 0x01]),
            ("nothing at all", []),
        };
        foreach (var (name, bytes) in noTls)
        {
            cases.Add(new SyslogCase($"tls-handshake {name}", "tls-handshake", bytes, 1));
        }

        return cases;
    }

    /// <summary>SiemAlert messages that must end in the error queue: invalid fields, wrong types, bytes that are no message.</summary>
    public static IReadOnlyList<BrokerCase> Broker()
    {
        var random = new Random(Seed + 2);
        const string envelope = "application/vnd.masstransit+json";
        var cases = new List<BrokerCase>();

        string Envelope(JsonObject message, string marker) => new JsonObject
        {
            ["messageId"] = Guid.NewGuid().ToString(),
            ["conversationId"] = Guid.NewGuid().ToString(),
            ["messageType"] = new JsonArray("urn:message:SiemAi.Contracts:SiemAlert"),
            ["sentTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["headers"] = new JsonObject { ["fuzz-marker"] = marker },
            ["message"] = message,
        }.ToJsonString();

        JsonObject Valid(string marker) => new()
        {
            ["alertId"] = Guid.NewGuid().ToString(),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["source"] = "fuzz",
            ["title"] = $"fuzzed {marker}",
            ["severity"] = "high",
            ["host"] = "fz-broker",
        };

        var invalid = new (string Field, JsonNode? Value, string Reason)[]
        {
            ("alertId", Guid.Empty.ToString(), "alertId"), ("source", "", "source"), ("source", new string('s', 200), "source"),
            ("title", "", "title"), ("title", new string('t', 1100), "title"), ("severity", "urgent", "severity"), ("severity", "", "severity"),
            ("severity", "99", "severity"), ("sourceIp", "10.0.0.300", "sourceIp"), ("sourceIp", "::g", "sourceIp"), ("destinationIp", "host.example", "destinationIp"),
            ("timestamp", "0001-01-01T00:00:00+00:00", "timestamp"),
        };
        foreach (var (field, value, reason) in invalid)
        {
            var marker = Marker(random);
            var message = Valid(marker);
            message[field] = value?.DeepClone();
            cases.Add(new BrokerCase($"{field} = {Shorten(value?.ToJsonString() ?? "null")}", envelope, Encoding.UTF8.GetBytes(Envelope(message, marker)), marker, reason));
        }

        foreach (var (field, value) in new (string, JsonNode?)[] { ("alertId", 5), ("alertId", "not-a-guid"), ("timestamp", "yesterday"), ("destinationPort", "eighty"), ("hostGroups", "not-a-list"), ("fields", 7) })
        {
            var marker = Marker(random);
            var message = Valid(marker);
            message[field] = value?.DeepClone();
            cases.Add(new BrokerCase($"{field} of the wrong type", envelope, Encoding.UTF8.GetBytes(Envelope(message, marker)), marker, null));
        }

        for (var i = 0; i < 4; i++)
        {
            var marker = Marker(random);
            var whole = Envelope(Valid(marker), marker);
            var cut = whole[..random.Next(whole.IndexOf(marker, StringComparison.Ordinal) + marker.Length + 2, whole.Length - 1)];
            cases.Add(new BrokerCase($"envelope truncated at {cut.Length}", envelope, Encoding.UTF8.GetBytes(cut), marker, null));
        }

        for (var i = 0; i < 3; i++)
        {
            var marker = Marker(random);
            cases.Add(new BrokerCase($"garbage bytes #{i}", envelope, [.. RandomBytes(random, random.Next(1, 200)), .. Encoding.ASCII.GetBytes(marker), 0xFF], marker, null));
        }

        var rawMarker = Marker(random);
        var raw = Valid(rawMarker);
        raw["severity"] = "urgent";
        cases.Add(new BrokerCase("raw JSON with an invalid severity", "application/json", Encoding.UTF8.GetBytes(raw.ToJsonString()), rawMarker, null));
        // MassTransit reads an unknown content type with its default envelope serializer: validation still holds.
        var typeMarker = Marker(random);
        var typed = Valid(typeMarker);
        typed["sourceIp"] = "300.1.1.1";
        cases.Add(new BrokerCase("an invalid alert under a content type nobody registered", "application/x-fuzz", Encoding.UTF8.GetBytes(Envelope(typed, typeMarker)), typeMarker, "sourceIp"));
        var garbageMarker = Marker(random);
        cases.Add(new BrokerCase("garbage under a content type nobody registered", "application/x-fuzz", Encoding.UTF8.GetBytes("not an envelope " + garbageMarker), garbageMarker, null));
        return cases;
    }

    /// <summary>
    /// The approval API: decisions with bad bodies, ids and hashes (on a real incident awaiting approval, so the
    /// only thing wrong is what the case breaks), CAB callbacks with bad signatures and bodies, bad list queries.
    /// </summary>
    public static IReadOnlyList<HttpCase> Approvals(Guid incident, string sha, string approverKey, string auditorKey, string cabSecret)
    {
        var random = new Random(Seed + 3);
        var cases = new List<HttpCase>();

        HttpRequestMessage Send(HttpMethod method, string path, string? body, string? contentType = "application/json", string? key = null, string? signature = null)
        {
            var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                if (contentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("X-API-Key", key);
            }

            if (signature is not null)
            {
                request.Headers.TryAddWithoutValidation("X-SiemAi-Signature", signature);
            }

            return request;
        }

        void Add(string name, int status, string? title, Func<HttpRequestMessage> request) => cases.Add(new HttpCase(name, request, status, null, title));

        var decisions = $"api/incidents/{incident}/decisions";
        string Decision(object decision, object? hash, object? comment = null, object? forApply = null)
        {
            var body = new JsonObject { ["decision"] = JsonValue.Create(decision) };
            if (hash is not null)
            {
                body["playbookSha256"] = JsonValue.Create(hash);
            }

            if (comment is not null)
            {
                body["comment"] = JsonValue.Create(comment);
            }

            if (forApply is not null)
            {
                body["forApply"] = JsonValue.Create(forApply);
            }

            return body.ToJsonString();
        }

        foreach (var word in new[] { "", "maybe", "APPROVE ", "approved", "yes", "0", RandomText(random, 30, Letters) })
        {
            Add($"decision '{word}'", 400, "decision", () => Send(HttpMethod.Post, decisions, Decision(word, sha), key: approverKey));
        }

        Add("no decision", 400, "decision", () => Send(HttpMethod.Post, decisions, $$"""{"playbookSha256":"{{sha}}"}""", key: approverKey));
        foreach (var hash in new[] { "", sha[..63], sha + "0", new string('g', 64), sha[..60] + "zzzz", " " + sha[..63], RandomText(random, 64, Printable) })
        {
            Add($"hash '{Shorten(hash)}'", 400, "hash", () => Send(HttpMethod.Post, decisions, Decision("approve", hash), key: approverKey));
        }

        Add("no hash", 400, "hash", () => Send(HttpMethod.Post, decisions, """{"decision":"approve"}""", key: approverKey));
        for (var i = 0; i < 4; i++)
        {
            var other = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var decision = new[] { "approve", "deny", "regenerate" }[i % 3];
            Add($"{decision} with another playbook's hash #{i}", 409, "hash", () => Send(HttpMethod.Post, decisions, Decision(decision, other), key: approverKey));
        }

        Add("comment over 4000 characters", 400, "comment", () => Send(HttpMethod.Post, decisions, Decision("deny", sha, new string('c', 4001)), key: approverKey));
        Add("apply approval while awaiting approval", 409, "awaiting", () => Send(HttpMethod.Post, decisions, Decision("approve", sha, forApply: true), key: approverKey));
        foreach (var id in new[] { Guid.NewGuid().ToString(), Guid.Empty.ToString() })
        {
            Add($"decision on unknown incident {id}", 404, "incident", () => Send(HttpMethod.Post, $"api/incidents/{id}/decisions", Decision("deny", sha), key: approverKey));
        }

        foreach (var id in new[] { "not-a-guid", "123", "..%2F..%2Fetc", Guid.NewGuid().ToString("N") + "00", "' OR 1=1 --" })
        {
            Add($"decision on id '{id}'", 404, null, () => Send(HttpMethod.Post, $"api/incidents/{Uri.EscapeDataString(id).Replace("%25", "%", StringComparison.Ordinal)}/decisions", Decision("deny", sha), key: approverKey));
        }

        var json = Decision("deny", sha);
        for (var i = 0; i < 5; i++)
        {
            var cut = json[..random.Next(1, json.Length - 1)];
            Add($"decision body truncated at {cut.Length}", 400, null, () => Send(HttpMethod.Post, decisions, cut, key: approverKey));
        }

        foreach (var body in new[] { "", "null", "[]", "42", "\"deny\"", $$"""{"decision":5,"playbookSha256":"{{sha}}"}""", """{"decision":"deny","playbookSha256":{"a":1}}""", $$"""{"decision":"deny","playbookSha256":"{{sha}}","forApply":"yes"}""", $$"""{"decision":["deny"],"playbookSha256":"{{sha}}"}""" })
        {
            Add($"decision body {Shorten(body)}", 400, null, () => Send(HttpMethod.Post, decisions, body, key: approverKey));
        }

        foreach (var type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded" })
        {
            Add($"decision as {type}", 415, null, () => Send(HttpMethod.Post, decisions, json, type, key: approverKey));
        }

        Add("decision without a key", 401, null, () => Send(HttpMethod.Post, decisions, json));
        Add("decision with an unknown key", 401, null, () => Send(HttpMethod.Post, decisions, json, key: RandomText(random, 40, Letters)));
        Add("decision by an auditor", 403, null, () => Send(HttpMethod.Post, decisions, json, key: auditorKey));

        // CAB callbacks: the signature is checked first, then the body.
        string Sign(string body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(cabSecret), Encoding.UTF8.GetBytes(body)));
        var callback = $$"""{"change_request_id":"CHG0001","correlation_id":"{{incident}}","state":"approved","decided_by":"cab","playbook_sha256":"{{sha}}"}""";
        Add("cab callback without a signature", 401, "signature", () => Send(HttpMethod.Post, "api/cab/callback", callback));
        foreach (var signature in new[] { "sha256=" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), "sha256=", "sha256=xyz", Sign(callback + " "), Sign(callback)[7..], "sha1=" + Sign(callback)[7..] })
        {
            Add($"cab callback signed '{Shorten(signature)}'", 401, "signature", () => Send(HttpMethod.Post, "api/cab/callback", callback, signature: signature));
        }

        for (var i = 0; i < 4; i++)
        {
            var cut = callback[..random.Next(1, callback.Length - 1)];
            Add($"cab callback truncated at {cut.Length}", 400, "callback", () => Send(HttpMethod.Post, "api/cab/callback", cut, signature: Sign(cut)));
        }

        foreach (var body in new[] { "null", "{}", "[]", """{"change_request_id":"CHG1","correlation_id":"not-a-guid","state":"approved"}""", $$"""{"correlation_id":"{{incident}}","state":"approved"}""", $$"""{"change_request_id":"","correlation_id":"{{incident}}","state":"approved"}""", $$"""{"change_request_id":5,"correlation_id":"{{incident}}"}""" })
        {
            Add($"cab callback body {Shorten(body)}", 400, "callback", () => Send(HttpMethod.Post, "api/cab/callback", body, signature: Sign(body)));
        }

        foreach (var state in new[] { "maybe", "", "APPROVED!", "pending" })
        {
            var body = $$"""{"change_request_id":"CHG2","correlation_id":"{{incident}}","state":"{{state}}"}""";
            Add($"cab callback state '{state}'", 400, "CAB decision", () => Send(HttpMethod.Post, "api/cab/callback", body, signature: Sign(body)));
        }

        var unknown = $$"""{"change_request_id":"CHG3","correlation_id":"{{Guid.NewGuid()}}","state":"approved"}""";
        Add("cab callback for an unknown incident", 404, "incident", () => Send(HttpMethod.Post, "api/cab/callback", unknown, signature: Sign(unknown)));
        Add("cab callback while no CAB decision is pending", 409, "CAB", () => Send(HttpMethod.Post, "api/cab/callback", callback, signature: Sign(callback)));

        // The incident list's query parameters.
        foreach (var query in new[] { "page=0", "page=-1", "pageSize=0", "pageSize=501", "pageSize=-5", "page=1&pageSize=100000" })
        {
            Add($"GET /api/incidents?{query}", 400, "paging", () => Send(HttpMethod.Get, $"api/incidents?{query}", null, key: auditorKey));
        }

        foreach (var query in new[] { "page=abc", "pageSize=1.5", "page=99999999999", "since=yesterday", "until=2025-13-45", "since=%00", "page=1&page=2", "pageSize=" + RandomText(random, 10, Letters) })
        {
            Add($"GET /api/incidents?{query}", 400, null, () => Send(HttpMethod.Get, $"api/incidents?{query}", null, key: auditorKey));
        }

        return cases;
    }

    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Printable = Letters + "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private static string Marker(Random random) => "fz" + RandomText(random, 12, "0123456789abcdef");

    private static string RandomText(Random random, int length, string alphabet) =>
        string.Create(length, (random, alphabet), (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..21] + "...";

    public static MediaTypeHeaderValue Json => new("application/json");
}
