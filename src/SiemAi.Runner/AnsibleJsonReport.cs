using System.Text.Json;
using System.Text.Json.Nodes;
using SiemAi.Contracts;

namespace SiemAi.Runner;

/// <summary>
/// Reads the output of ansible's <c>json</c> stdout callback: per-host totals from <c>stats</c>, and per
/// task and host the result with its diff, each text cut to a size a message and a review page can carry.
/// </summary>
internal sealed class AnsibleJsonReport
{
    private static readonly string[] ResultTexts = ["msg", "stdout", "stderr"];
    private static readonly string[] DiffTexts = ["before_header", "after_header", "before", "after", "prepared"];

    private AnsibleJsonReport(IReadOnlyList<HostRunResult> hosts, string resultJson)
    {
        Hosts = hosts;
        ResultJson = resultJson;
    }

    public IReadOnlyList<HostRunResult> Hosts { get; }

    public string ResultJson { get; }

    /// <summary>Null when the output is not the callback's JSON (ansible stopped before the play, or it was cut).</summary>
    public static AnsibleJsonReport? TryParse(ReadOnlySpan<byte> stdout, int maxTextChars, int maxResultChars)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(stdout);
        }
        catch (JsonException)
        {
            return null;
        }

        if (root is not JsonObject doc || doc["stats"] is not JsonObject stats)
        {
            return null;
        }

        var hosts = stats
            .Where(s => s.Value is JsonObject)
            .Select(s => new HostRunResult
            {
                Host = s.Key,
                Ok = Count(s.Value, "ok"),
                Changed = Count(s.Value, "changed"),
                Failed = Count(s.Value, "failures"),
                Unreachable = Count(s.Value, "unreachable"),
                Skipped = Count(s.Value, "skipped"),
                Rescued = Count(s.Value, "rescued"),
                Ignored = Count(s.Value, "ignored"),
            })
            .OrderBy(h => h.Host, StringComparer.Ordinal)
            .ToList();

        var tasks = new JsonArray();
        var size = 0;
        var omitted = 0;
        foreach (var play in (doc["plays"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
        {
            var playName = play["play"]?["name"]?.GetValue<string>();
            foreach (var task in (play["tasks"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
            {
                var taskName = task["task"]?["name"]?.GetValue<string>();
                foreach (var (host, value) in task["hosts"] as JsonObject ?? new JsonObject())
                {
                    if (value is not JsonObject result)
                    {
                        continue;
                    }

                    var entry = TaskEntry(playName, taskName, host, result, maxTextChars);
                    var entrySize = entry.ToJsonString().Length;
                    // Whole tasks are dropped, never cut in half: a reader sees complete results or a count of missing ones.
                    if (omitted > 0 || size + entrySize > maxResultChars)
                    {
                        omitted++;
                        continue;
                    }

                    size += entrySize;
                    tasks.Add(entry);
                }
            }
        }

        var report = new JsonObject
        {
            ["hosts"] = new JsonArray(hosts.Select(h => (JsonNode)new JsonObject
            {
                ["host"] = h.Host, ["ok"] = h.Ok, ["changed"] = h.Changed, ["failed"] = h.Failed, ["unreachable"] = h.Unreachable,
                ["skipped"] = h.Skipped, ["rescued"] = h.Rescued, ["ignored"] = h.Ignored,
            }).ToArray()),
            ["tasks"] = tasks,
            ["omitted_tasks"] = omitted,
        };
        return new AnsibleJsonReport(hosts, report.ToJsonString());
    }

    private static JsonObject TaskEntry(string? play, string? task, string host, JsonObject result, int maxTextChars)
    {
        var entry = new JsonObject
        {
            ["play"] = play,
            ["task"] = task,
            ["host"] = host,
            ["action"] = Text(result["action"], maxTextChars),
            ["changed"] = Flag(result, "changed"),
            ["failed"] = Flag(result, "failed"),
            ["unreachable"] = Flag(result, "unreachable"),
            ["skipped"] = Flag(result, "skipped"),
        };
        foreach (var name in ResultTexts)
        {
            if (Text(result[name], maxTextChars) is { } text)
            {
                entry[name] = text;
            }
        }

        if (result["rc"] is JsonValue rc && rc.TryGetValue<int>(out var code))
        {
            entry["rc"] = code;
        }

        var diffs = new JsonArray();
        AddDiffs(diffs, result["diff"], maxTextChars);
        // A loop reports its diffs per item.
        foreach (var item in (result["results"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
        {
            AddDiffs(diffs, item["diff"], maxTextChars);
        }

        if (diffs.Count > 0)
        {
            entry["diff"] = diffs;
        }

        return entry;
    }

    private static void AddDiffs(JsonArray into, JsonNode? diff, int maxTextChars)
    {
        IEnumerable<JsonObject> items = diff switch
        {
            JsonObject one => [one],
            JsonArray many => many.OfType<JsonObject>(),
            _ => [],
        };
        foreach (var item in items)
        {
            var copy = new JsonObject();
            foreach (var name in DiffTexts)
            {
                if (Text(item[name], maxTextChars) is { } text)
                {
                    copy[name] = text;
                }
            }

            if (copy.Count > 0)
            {
                into.Add(copy);
            }
        }
    }

    private static string? Text(JsonNode? node, int max)
    {
        var text = node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => node.ToJsonString(),
        };
        return text is null || text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"\n[... {text.Length - max} more characters in the archived output]");
    }

    private static bool Flag(JsonObject result, string name) =>
        result[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static int Count(JsonNode? stats, string name) =>
        stats?[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
}
