using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using SiemAi.EventStore;
using SiemAi.Incidents.Model;
using SiemAi.Incidents.Model.Events;

namespace SiemAi.Approvals.Review;

/// <summary>
/// The review pages' markup: plain server-rendered HTML, every value HTML-encoded, no script at all (the
/// pages work with JavaScript off and need nothing from a CDN). Landmarks, headings, labelled controls and
/// table headers so a screen reader user can review a playbook as well as anyone.
/// </summary>
public static class ReviewHtml
{
    public const string Css = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
        header{display:flex;gap:1rem;align-items:center;padding:.5rem 1rem;background:#12355b;color:#fff}
        header a{color:#fff;font-weight:bold;text-decoration:none}header form{margin-left:auto}
        main{padding:1rem;max-width:78rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
        .sev-critical{background:#7a0000;color:#fff}.sev-high{background:#c0392b;color:#fff}.sev-medium{background:#f39c12}.sev-low{background:#dfe6e9}
        .alert{border:2px solid #c0392b;background:#fdecea;padding:.5rem 1rem}.notice{border:2px solid #2e7d32;background:#e8f5e9;padding:.5rem 1rem}
        ol.yaml{font-family:ui-monospace,monospace;white-space:pre;background:#fff;border:1px solid #ccc;padding-left:3.5rem}
        ol.yaml li.finding{background:#fff3cd}ol.yaml li.finding-block{background:#f8d7da}
        .finding-note{font-family:system-ui,sans-serif;white-space:normal;font-weight:bold;display:block}
        pre.diff{background:#fff;border:1px solid #ccc;padding:.5rem;overflow:auto}
        fieldset{border:1px solid #999;margin:1rem 0}label{display:block;margin:.25rem 0}textarea{width:100%;max-width:40rem}
        """;

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    public static string Page(string title, ClaimsPrincipal? user, string? antiforgeryField, string body)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(E(title)).Append(" — SiemAi review</title><link rel=\"stylesheet\" href=\"/review/site.css\"></head><body>");
        html.Append("<header><a href=\"/review\">SiemAi review</a>");
        if (user?.Identity?.Name is { } name)
        {
            var roles = string.Join(", ", user.FindAll(ClaimTypes.Role).Select(c => c.Value));
            html.Append("<span>Signed in as <strong>").Append(E(name)).Append("</strong> (").Append(E(roles)).Append(")</span>");
            html.Append("<form method=\"post\" action=\"/review/logout\">").Append(antiforgeryField).Append("<button type=\"submit\">Sign out</button></form>");
        }

        html.Append("</header><main id=\"main\"><h1>").Append(E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        return html.ToString();
    }

    public static string Message(string? error, string? notice) =>
        (error is null ? string.Empty : $"<div class=\"alert\" role=\"alert\">{E(error)}</div>")
        + (notice is null ? string.Empty : $"<div class=\"notice\" role=\"status\">{E(notice)}</div>");

    public static string Login(string antiforgeryField, string? error) =>
        Message(error, null)
        + "<form method=\"post\" action=\"/review/login\">" + antiforgeryField
        + "<label for=\"key\">Your approver API key</label><input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required>"
        + "<p><button type=\"submit\">Sign in</button></p></form>"
        + "<p>Keys are issued per person (role approver, cab, auditor or admin); bearer-token users use the API.</p>";

    public static string Queue(IReadOnlyList<JsonObject> items)
    {
        if (items.Count == 0)
        {
            return "<p>Nothing awaits a decision.</p>";
        }

        var html = new StringBuilder("<table><caption>Incidents awaiting a decision, most severe and newest first</caption><thead><tr>");
        foreach (var header in new[] { "Severity", "Incident", "Asset", "Status", "Alerts", "Verdict", "Deadline", "Opened" })
        {
            html.Append("<th scope=\"col\">").Append(header).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var item in items)
        {
            var id = Text(item, "id");
            var severity = Text(item, "severity");
            html.Append("<tr><td class=\"sev-").Append(E(severity)).Append("\">").Append(E(severity)).Append("</td>")
                .Append("<td><a href=\"/review/incidents/").Append(E(id)).Append("\">").Append(E(Text(item, "title"))).Append("</a></td>")
                .Append("<td>").Append(E(Text(item, "asset"))).Append("</td>")
                .Append("<td>").Append(E(Text(item, "status"))).Append("</td>")
                .Append("<td>").Append(E(Text(item, "alertCount"))).Append("</td>")
                .Append("<td>").Append(E(Text(item, "verdict"))).Append(' ').Append(E(Text(item, "risk"))).Append("</td>")
                .Append("<td>").Append(E(Text(item, "deadline"))).Append("</td>")
                .Append("<td>").Append(E(Text(item, "createdAt"))).Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    public static string Incident(Api.IncidentSnapshot incident, IReadOnlyList<RecordedEvent> events, string antiforgeryField, bool canDecide)
    {
        var d = incident.Data;
        var s = incident.Summary;
        var html = new StringBuilder();
        html.Append("<section aria-labelledby=\"alert-h\"><h2 id=\"alert-h\">Alert</h2><table><tbody>");
        Row(html, "Status", incident.Status.Name());
        Row(html, "Severity", Text(s, "severity"));
        Row(html, "Asset", Text(s, "asset"));
        Row(html, "Source", Text(s, "sourceSystem"));
        Row(html, "Alerts", Text(s, "alertCount"));
        Row(html, "Raised by", incident.RaisedBy);
        Row(html, "Approval deadline", d["approvalDeadline"]?.ToString());
        if (d["alert"] is JsonObject alert)
        {
            foreach (var field in new[] { "ruleId", "ruleName", "sourceIp", "destinationIp", "user" })
            {
                if (alert[field] is { } value)
                {
                    Row(html, field, value.ToString());
                }
            }
        }

        html.Append("</tbody></table></section>");

        var yaml = d["playbookYaml"]?.GetValue<string>();
        html.Append("<section aria-labelledby=\"playbook-h\"><h2 id=\"playbook-h\">Playbook</h2>");
        if (yaml is null)
        {
            html.Append("<p>No playbook yet.</p>");
        }
        else
        {
            html.Append("<p>").Append(E(Text(d, "playbookTitle"))).Append(" — SHA-256 <code>").Append(E(incident.PlaybookSha256)).Append("</code>; verdict ")
                .Append(E(Text(s, "verdict"))).Append(", risk ").Append(E(Text(s, "risk"))).Append("</p>");
            var findings = (d["findings"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            html.Append(Findings(findings));
            html.Append(Yaml(yaml, findings));
        }

        html.Append("</section>");
        html.Append(CheckRun(d, events));
        html.Append(Approvals(d));
        if (canDecide && yaml is not null)
        {
            html.Append(DecisionForm(incident, antiforgeryField));
        }

        html.Append(Timeline(events));
        return html.ToString();
    }

    private static string Findings(List<JsonObject> findings)
    {
        if (findings.Count == 0)
        {
            return "<p>The safety gate found nothing to flag.</p>";
        }

        var html = new StringBuilder("<table><caption>Safety findings</caption><thead><tr><th scope=\"col\">Line</th><th scope=\"col\">Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Where</th><th scope=\"col\">Finding</th></tr></thead><tbody>");
        foreach (var f in findings)
        {
            var line = Text(f, "line");
            html.Append("<tr><td>").Append(line.Length == 0 ? "—" : $"<a href=\"#L{E(line)}\">{E(line)}</a>").Append("</td><td>").Append(E(Text(f, "severity")))
                .Append("</td><td><code>").Append(E(Text(f, "rule"))).Append("</code></td><td><code>").Append(E(Text(f, "path")))
                .Append("</code></td><td>").Append(E(Text(f, "message"))).Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>The exact YAML, one list item per line (numbered by the list), findings marked on their lines.</summary>
    private static string Yaml(string yaml, List<JsonObject> findings)
    {
        var byLine = findings
            .Where(f => int.TryParse(Text(f, "line"), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .GroupBy(f => int.Parse(Text(f, "line"), CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.ToList());
        var html = new StringBuilder("<ol class=\"yaml\" aria-label=\"Playbook YAML\">");
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            if (byLine.TryGetValue(number, out var here))
            {
                var block = here.Any(f => string.Equals(Text(f, "severity"), "block", StringComparison.OrdinalIgnoreCase));
                html.Append("<li id=\"L").Append(number).Append("\" class=\"finding").Append(block ? " finding-block" : string.Empty)
                    .Append("\" data-rules=\"").Append(E(string.Join(' ', here.Select(f => Text(f, "rule"))))).Append("\">")
                    .Append(E(lines[i]));
                foreach (var f in here)
                {
                    html.Append("<span class=\"finding-note\">⚠ ").Append(E(Text(f, "severity"))).Append(' ').Append(E(Text(f, "rule"))).Append(": ").Append(E(Text(f, "message"))).Append("</span>");
                }

                html.Append("</li>");
            }
            else
            {
                html.Append("<li id=\"L").Append(number).Append("\">").Append(E(lines[i])).Append("</li>");
            }
        }

        return html.Append("</ol>").ToString();
    }

    private static string CheckRun(JsonObject d, IReadOnlyList<RecordedEvent> events)
    {
        if (d["lastRunSucceeded"] is null)
        {
            return string.Empty;
        }

        var html = new StringBuilder("<section aria-labelledby=\"run-h\"><h2 id=\"run-h\">Check run</h2><p>")
            .Append(E(Text(d, "runMode"))).Append(" run ").Append(d["lastRunSucceeded"]!.GetValue<bool>() ? "succeeded" : "failed").Append(".</p>");
        html.Append("<table><caption>Per host</caption><thead><tr>");
        foreach (var header in new[] { "Host", "ok", "changed", "failed", "unreachable", "skipped" })
        {
            html.Append("<th scope=\"col\">").Append(header).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var host in (d["lastRunHosts"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            html.Append("<tr><th scope=\"row\">").Append(E(Text(host, "host"))).Append("</th>");
            foreach (var count in new[] { "ok", "changed", "failed", "unreachable", "skipped" })
            {
                html.Append("<td>").Append(E(Text(host, count))).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        // The task results and diffs are in the run's audit event (the saga keeps only the counts).
        var completed = events.Select(e => IncidentEvents.Read(e).Event).LastOrDefault(e => e is CheckRunCompleted or ApplyRunCompleted);
        if (((completed as CheckRunCompleted)?.Result ?? (completed as ApplyRunCompleted)?.Result) is { Length: > 0 } result)
        {
            html.Append("<h3>Tasks and diffs</h3><pre class=\"diff\">").Append(E(result)).Append("</pre>");
        }

        return html.Append("</section>").ToString();
    }

    private static string Approvals(JsonObject d)
    {
        var html = new StringBuilder("<section aria-labelledby=\"appr-h\"><h2 id=\"appr-h\">Approvals</h2><p>Required: ")
            .Append(E(Text(d, "requiredApprovals"))).Append(d["needsCab"]?.GetValue<bool>() == true ? ", plus the change-advisory board" : string.Empty).Append("</p><ul>");
        foreach (var a in (d["approvals"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            html.Append("<li>").Append(E(Text(a, "approver"))).Append(a["forApply"]?.GetValue<bool>() == true ? " (for apply)" : string.Empty)
                .Append(" — ").Append(E(Text(a, "at"))).Append("</li>");
        }

        return html.Append("</ul></section>").ToString();
    }

    private static string DecisionForm(Api.IncidentSnapshot incident, string antiforgeryField)
    {
        var forApply = incident.Status == IncidentStatus.CheckSucceeded;
        var html = new StringBuilder("<section aria-labelledby=\"decide-h\"><h2 id=\"decide-h\">Your decision")
            .Append(forApply ? " on running it for real (apply)" : string.Empty).Append("</h2>");
        html.Append("<form method=\"post\" action=\"/review/incidents/").Append(incident.Id.ToString("D")).Append("/decisions\">").Append(antiforgeryField);
        html.Append("<input type=\"hidden\" name=\"playbookSha256\" value=\"").Append(E(incident.PlaybookSha256)).Append("\">");
        html.Append("<input type=\"hidden\" name=\"forApply\" value=\"").Append(forApply ? "true" : "false").Append("\">");
        html.Append("<fieldset><legend>Decision</legend>");
        var options = forApply ? new[] { ("approve", "Approve the apply run"), ("deny", "Deny") } : [("approve", "Approve"), ("deny", "Deny"), ("regenerate", "Ask for a new playbook")];
        foreach (var (value, label) in options)
        {
            html.Append("<label><input type=\"radio\" name=\"decision\" value=\"").Append(value).Append("\" required> ").Append(label).Append("</label>");
        }

        html.Append("</fieldset><label for=\"comment\">Comment</label><textarea id=\"comment\" name=\"comment\" rows=\"3\" maxlength=\"4000\"></textarea>");
        return html.Append("<p><button type=\"submit\">Submit decision</button></p></form></section>").ToString();
    }

    private static string Timeline(IReadOnlyList<RecordedEvent> events)
    {
        var html = new StringBuilder("<section aria-labelledby=\"tl-h\"><h2 id=\"tl-h\">Audit timeline</h2><table><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Recorded (UTC)</th><th scope=\"col\">Event</th><th scope=\"col\">Actor</th></tr></thead><tbody>");
        foreach (var e in events)
        {
            var actor = JsonNode.Parse(e.Metadata)?["actor"]?.ToString();
            html.Append("<tr><td>").Append(e.Version).Append("</td><td>").Append(e.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(E(e.Type)).Append("</td><td>").Append(E(actor)).Append("</td></tr>");
        }

        return html.Append("</tbody></table></section>").ToString();
    }

    private static void Row(StringBuilder html, string name, string? value) =>
        html.Append("<tr><th scope=\"row\">").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string Text(JsonObject o, string name) => o[name] switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString().Trim('"'),
    };
}
