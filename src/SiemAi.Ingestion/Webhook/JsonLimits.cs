using System.Text.Json;

namespace SiemAi.Ingestion.Webhook;

/// <summary>
/// One forward-only pass with <see cref="Utf8JsonReader"/> before any parse tree is built: it stops at the
/// first property over the key budget or the first container over the depth limit, so a hostile payload
/// costs a scan of its prefix and no allocations. <c>multipleValues</c> reads concatenated documents (a HEC batch);
/// the property budget then counts across all of them.
/// </summary>
internal static class JsonLimits
{
    public static JsonLimitViolation? Scan(ReadOnlySpan<byte> utf8, int maxDepth, int maxProperties, bool multipleValues = false)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth + 2, CommentHandling = JsonCommentHandling.Disallow, AllowMultipleValues = multipleValues });
        var properties = 0;
        var lastProperty = "";
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (++properties > maxProperties)
                        {
                            return new JsonLimitViolation(JsonLimitKind.TooManyProperties, "body",
                                $"The document has more than {maxProperties} properties (limit Ingestion:MaxJsonProperties).");
                        }

                        lastProperty = reader.ValueSpan.Length <= 128 ? reader.GetString() ?? "" : "";
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= maxDepth:
                        return new JsonLimitViolation(JsonLimitKind.TooDeep, lastProperty.Length > 0 ? lastProperty : "body",
                            $"The document nests deeper than {maxDepth} levels (limit Ingestion:MaxJsonDepth).");
                }
            }
        }
        catch (JsonException ex)
        {
            return new JsonLimitViolation(JsonLimitKind.Syntax, "body",
                $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
        }

        return null;
    }
}
