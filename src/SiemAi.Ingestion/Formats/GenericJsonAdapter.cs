using System.Globalization;
using System.Text.Json;
using SiemAi.Contracts;
using SiemAi.Ingestion.Mapping;

namespace SiemAi.Ingestion.Formats;

/// <summary>
/// SiemAi's generic JSON (docs/schemas/generic-alert.schema.json): one object, or an array of them.
/// Liberal in what it accepts, exact in what it records: the known fields are read under their common
/// spellings (<see cref="FieldSpellings"/>) or where an operator's mapping points, and every other property is
/// kept under <c>Fields</c> by its dotted path and named in <see cref="AdaptedAlert.UnmappedFields"/>. What is
/// read is checked as strictly as ever (types here, values by the validator), and two spellings of one field
/// that disagree are refused naming both. A strict key gets the schema exactly: any other property is refused.
/// </summary>
internal sealed class GenericJsonAdapter
{
    public const string ClaimedSubmitterField = "claimed_" + AlertIngestor.SubmittedByField;

    public IReadOnlyList<AdaptedAlert> Adapt(JsonElement root, string body, DateTimeOffset receivedAt, GenericReadPolicy policy, string fieldPrefix = "")
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            return [Read(root, body, receivedAt, policy, fieldPrefix)];
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new PayloadRejectedException(fieldPrefix.Length > 0 ? fieldPrefix.TrimEnd('.') : "body", "A generic payload is a JSON object or an array of objects.");
        }

        if (root.GetArrayLength() == 0)
        {
            throw new PayloadRejectedException(fieldPrefix.Length > 0 ? fieldPrefix.TrimEnd('.') : "body", "The array holds no alerts.");
        }

        var alerts = new List<AdaptedAlert>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var prefix = $"{fieldPrefix.TrimEnd('.')}[{index}].";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadRejectedException(prefix.TrimEnd('.'), "Each alert must be a JSON object.");
            }

            alerts.Add(Read(item, item.GetRawText(), receivedAt, policy, prefix));
            index++;
        }

        return alerts;
    }

    private static AdaptedAlert Read(JsonElement e, string raw, DateTimeOffset receivedAt, GenericReadPolicy policy, string prefix)
    {
        var found = new Found(policy.Strict, prefix);
        foreach (var entry in policy.Mapping?.Entries ?? [])
        {
            if (entry.Pointer.Resolve(e) is { ValueKind: not JsonValueKind.Null } value)
            {
                found.Mapped(entry, value);
            }
        }

        found.Walk(e, [], policy.Mapping?.Entries ?? []);
        var values = found.Resolve();

        string? Str(string target, bool number = false)
        {
            if (!values.TryGetValue(target, out var c))
            {
                return null;
            }

            return c.Value.ValueKind switch
            {
                JsonValueKind.String => string.IsNullOrWhiteSpace(c.Value.GetString()) ? null : c.Value.GetString()!.Trim(),
                JsonValueKind.Number when number => c.Value.GetRawText(),
                _ => throw new PayloadRejectedException(prefix + c.Path, $"{c.Path} must be a string."),
            };
        }

        List<string> Strings(string target)
        {
            if (!values.TryGetValue(target, out var c))
            {
                return [];
            }

            if (c.Value.ValueKind == JsonValueKind.String && !policy.Strict)
            {
                // One value where a list is expected; "T1110, T1078" is two.
                return c.Value.GetString()!.Split([',', ';', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            }

            if (c.Value.ValueKind != JsonValueKind.Array)
            {
                throw new PayloadRejectedException(prefix + c.Path, $"{c.Path} must be an array of strings.");
            }

            var list = new List<string>();
            var i = 0;
            foreach (var item in c.Value.EnumerateArray())
            {
                list.Add(item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString())
                    ? item.GetString()!.Trim()
                    : throw new PayloadRejectedException($"{prefix}{c.Path}[{i}]", $"{c.Path} items must be non-empty strings."));
                i++;
            }

            return list;
        }

        string PathOf(string target, string fallback) => prefix + (values.TryGetValue(target, out var c) ? c.Path : fallback);

        var defaults = policy.Defaults;
        var source = Str(FieldSpellings.SourceSystem) ?? defaults?.SourceSystem
            ?? throw new PayloadRejectedException(prefix + "source", Required("source", FieldSpellings.SourceSystem, policy));
        var fields = new Dictionary<string, string>(defaults?.Fields ?? new Dictionary<string, string>(), StringComparer.Ordinal);

        var alertId = receivedAt == default ? Guid.NewGuid() : Guid.CreateVersion7(receivedAt);
        if (Str(FieldSpellings.AlertId, number: !policy.Strict) is { } idText)
        {
            if (Guid.TryParse(idText, out var parsed) && parsed != Guid.Empty)
            {
                alertId = parsed;
            }
            else if (policy.Strict || parsed == Guid.Empty && Guid.TryParse(idText, out _))
            {
                throw new PayloadRejectedException(PathOf(FieldSpellings.AlertId, "alertId"), "alertId must be a non-empty UUID.");
            }
            else
            {
                // A producer's own id scheme ("ALRT-1042", a rule number): kept as it came, never used as our id,
                // because ids that are not unique per alert would make later alerts look like re-sends and vanish.
                found.Unmap(values[FieldSpellings.AlertId]);
                values.Remove(FieldSpellings.AlertId);
            }
        }

        var severityText = Str(FieldSpellings.Severity, number: true)
            ?? throw new PayloadRejectedException(prefix + "severity", Required("severity", FieldSpellings.Severity, policy));
        var severity = SeverityMapping.ParseWazuhScale(severityText)
            ?? throw new PayloadRejectedException(PathOf(FieldSpellings.Severity, "severity"), "severity must be info, low, medium, high, critical or a number 0-15.");

        var observed = defaults?.ObservedAt ?? receivedAt;
        if (Str(FieldSpellings.ObservedAt, number: true) is { } ts)
        {
            observed = JsonFields.Time(ts)
                ?? throw new PayloadRejectedException(PathOf(FieldSpellings.ObservedAt, "timestamp"), "timestamp must be an ISO 8601 date-time or Unix seconds/milliseconds.");
        }

        int? port = null;
        if (values.TryGetValue(FieldSpellings.DestinationPort, out var portValue))
        {
            port = portValue.Value switch
            {
                { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var p) => p,
                { ValueKind: JsonValueKind.String } s when !policy.Strict && int.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) => p,
                _ => throw new PayloadRejectedException(prefix + portValue.Path, $"{portValue.Path} must be an integer."),
            };
        }

        found.AddExplicitFields(fields);
        var unmapped = found.AddUnmapped(fields);
        var title = Str(FieldSpellings.Title)
            ?? throw new PayloadRejectedException(prefix + "title", Required("title", FieldSpellings.Title, policy));

        var alert = new NormalizedAlert
        {
            AlertId = alertId,
            SourceSystem = source,
            Format = AlertFormats.Generic,
            RuleId = Str(FieldSpellings.RuleId, number: true),
            RuleName = Str(FieldSpellings.RuleName, number: !policy.Strict),
            Title = title,
            Description = Str(FieldSpellings.Description),
            Severity = severity,
            Asset = Str(FieldSpellings.Asset) ?? defaults?.Asset,
            AssetGroups = Strings(FieldSpellings.AssetGroups),
            User = Str(FieldSpellings.User),
            SourceIp = Str(FieldSpellings.SourceIp),
            DestinationIp = Str(FieldSpellings.DestinationIp),
            DestinationPort = port,
            Process = Str(FieldSpellings.Process),
            FilePath = Str(FieldSpellings.FilePath),
            FileHash = Str(FieldSpellings.FileHash),
            Category = Str(FieldSpellings.Category),
            MitreTechniques = Strings(FieldSpellings.MitreTechniques).Select(t => t.ToUpperInvariant()).ToList(),
            ObservedAt = observed,
            ReceivedAt = receivedAt,
            Fingerprint = "",
            RawPayload = raw,
            Fields = fields,
        };
        return new AdaptedAlert(alert, unmapped, values.ToDictionary(v => v.Key, v => v.Value.Path, StringComparer.Ordinal));
    }

    private static string Required(string name, string target, GenericReadPolicy policy) =>
        policy.Strict
            ? $"{name} is required."
            : $"{name} is required (read from any of: {string.Join(", ", FieldSpellings.Liberal[target])}{(policy.Mapping is null ? "" : ", or the key's field mapping")}).";

    /// <summary>A value found for a normalized field: where it was (for messages) and whether a mapping put it there.</summary>
    private sealed record Candidate(string Path, JsonElement Value, bool FromMapping);

    /// <summary>What one walk over an alert object found: candidates per field, the explicit <c>fields</c>, and the rest.</summary>
    private sealed class Found(bool strict, string prefix)
    {
        private readonly Dictionary<string, List<Candidate>> candidates = new(StringComparer.Ordinal);
        private readonly List<(string Path, JsonElement Value)> rest = [];
        private JsonElement? explicitFields;

        public void Mapped(FieldMappingEntry entry, JsonElement value) =>
            Add(entry.Target, new Candidate(entry.Pointer.DottedPath, value, FromMapping: true));

        public void Walk(JsonElement element, List<string> path, IReadOnlyList<FieldMappingEntry> mapping)
        {
            foreach (var property in element.EnumerateObject())
            {
                path.Add(property.Name);
                try
                {
                    if (mapping.Any(m => m.Pointer.Covers(path)))
                    {
                        // Taken by the operator's mapping (or under what it took).
                        continue;
                    }

                    var dotted = string.Join('.', path);
                    if (path.Count == 1 && property.Name == "fields")
                    {
                        explicitFields = property.Value;
                        continue;
                    }

                    if (strict)
                    {
                        if (path.Count == 1 && FieldSpellings.Strict.TryGetValue(property.Name, out var known))
                        {
                            Add(known, new Candidate(property.Name, property.Value, FromMapping: false));
                        }
                        else if (property.Value.ValueKind == JsonValueKind.Object && mapping.Any(m => m.Pointer.Tokens.Count > path.Count && StartsWith(m.Pointer, path)))
                        {
                            // Holds something the mapping takes: the rest of it must be known too.
                            Walk(property.Value, path, mapping);
                        }
                        else
                        {
                            throw new PayloadRejectedException(prefix + dotted, $"Unknown property '{dotted}' (see docs/schemas/generic-alert.schema.json; this key is strict).");
                        }

                        continue;
                    }

                    if (property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().Any())
                    {
                        Walk(property.Value, path, mapping);
                    }
                    else if (FieldSpellings.TargetOf(dotted) is { } target)
                    {
                        Add(target, new Candidate(dotted, property.Value, FromMapping: false));
                    }
                    else
                    {
                        rest.Add((dotted, property.Value));
                    }
                }
                finally
                {
                    path.RemoveAt(path.Count - 1);
                }
            }
        }

        /// <summary>One candidate per field: a mapping wins (other spellings are kept as unmapped); otherwise spellings must agree.</summary>
        public Dictionary<string, Candidate> Resolve()
        {
            var chosen = new Dictionary<string, Candidate>(StringComparer.Ordinal);
            foreach (var (target, list) in candidates)
            {
                if (list.FirstOrDefault(c => c.FromMapping) is { } mapped)
                {
                    chosen[target] = mapped;
                    rest.AddRange(list.Where(c => !c.FromMapping).Select(c => (c.Path, c.Value)));
                    continue;
                }

                var disagreeing = list.Where(c => !SameValue(c.Value, list[0].Value)).ToList();
                if (disagreeing.Count > 0)
                {
                    var other = disagreeing[0];
                    throw new PayloadRejectedException($"{prefix}{list[0].Path}, {prefix}{other.Path}",
                        $"'{list[0].Path}' and '{other.Path}' both give {target}, with different values ({Show(list[0].Value)} and {Show(other.Value)}); " +
                        "send one of them, or map the right one with a field mapping (Ingestion:FieldMappings).",
                        PayloadRejectedException.AmbiguousField);
                }

                chosen[target] = list[0];
            }

            return chosen;
        }

        /// <summary>A value read for a field but not used for it: kept with the unmapped ones.</summary>
        public void Unmap(Candidate candidate) => rest.Add((candidate.Path, candidate.Value));

        /// <summary>The body's own <c>fields</c> object: scalars as text (strict: only scalars; liberal: nested values flattened).</summary>
        public void AddExplicitFields(Dictionary<string, string> fields)
        {
            if (explicitFields is not { ValueKind: not JsonValueKind.Null } element)
            {
                return;
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadRejectedException(prefix + "fields", "fields must be an object of string values.");
            }

            foreach (var field in element.EnumerateObject())
            {
                if (field.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                {
                    Put(fields, field.Name, JsonFields.Scalar(field.Value)!, $"fields.{field.Name}");
                }
                else if (strict)
                {
                    throw new PayloadRejectedException($"{prefix}fields.{field.Name}", "fields values must be strings, numbers or booleans.");
                }
                else
                {
                    foreach (var (path, value) in Flatten(field.Value, field.Name))
                    {
                        Put(fields, path, AsText(value), $"fields.{path}");
                    }
                }
            }
        }

        /// <summary>Everything no field took, under its dotted path; returns the names in document order.</summary>
        public List<string> AddUnmapped(Dictionary<string, string> fields)
        {
            var names = new List<string>();
            foreach (var (path, value) in rest)
            {
                // Who submitted comes from authentication; the payload's claim is kept, under another name.
                var name = path == AlertIngestor.SubmittedByField ? ClaimedSubmitterField : path;
                Put(fields, name, AsText(value), path);
                names.Add(name);
            }

            return names;
        }

        private void Put(Dictionary<string, string> fields, string name, string value, string path)
        {
            if (fields.TryGetValue(name, out var existing) && existing != value)
            {
                throw new PayloadRejectedException(prefix + path,
                    $"'{path}' would be kept as field '{name}', which another property already holds with a different value.",
                    PayloadRejectedException.AmbiguousField);
            }

            fields[name] = value;
        }

        private void Add(string target, Candidate candidate)
        {
            if (!candidates.TryGetValue(target, out var list))
            {
                candidates[target] = list = [];
            }

            list.Add(candidate);
        }

        private static bool StartsWith(JsonPointer pointer, List<string> path)
        {
            for (var i = 0; i < path.Count; i++)
            {
                if (!string.Equals(pointer.Tokens[i], path[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        private static IEnumerable<(string Path, JsonElement Value)> Flatten(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.EnumerateObject().Any())
            {
                yield return (path, value);
                yield break;
            }

            foreach (var property in value.EnumerateObject())
            {
                foreach (var leaf in Flatten(property.Value, $"{path}.{property.Name}"))
                {
                    yield return leaf;
                }
            }
        }

        private static bool SameValue(JsonElement a, JsonElement b) =>
            a.ValueKind is JsonValueKind.Array or JsonValueKind.Object || b.ValueKind is JsonValueKind.Array or JsonValueKind.Object
                ? AsText(a) == AsText(b)
                : string.Equals(JsonFields.Scalar(a)?.Trim(), JsonFields.Scalar(b)?.Trim(), StringComparison.Ordinal) && (a.ValueKind == JsonValueKind.Null) == (b.ValueKind == JsonValueKind.Null);

        private static string Show(JsonElement value) => "'" + TextLimits.Cap(AsText(value), 60) + "'";
    }

    /// <summary>Strings as they are; anything else as its compact JSON text (numbers keep their spelling, null is "null").</summary>
    private static string AsText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : JsonSerializer.Serialize(value);
}
