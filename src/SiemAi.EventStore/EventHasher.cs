using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SiemAi.EventStore;

/// <summary>
/// The chain link, computed independently of the database (mirrors <c>es_event_hash</c>): an auditor's
/// verifier must not trust the server's own function.
/// </summary>
public static class EventHasher
{
    public static byte[] Compute(ReadOnlySpan<byte> previousHash, RecordedEvent e)
    {
        var parts = new[]
        {
            e.StreamId,
            e.Version.ToString(CultureInfo.InvariantCulture),
            e.EventId.ToString("D"),
            e.Type,
            e.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            e.Data,
            e.Metadata,
        };
        var length = previousHash.Length + parts.Length - 1;
        foreach (var p in parts)
        {
            length += Encoding.UTF8.GetMaxByteCount(p.Length);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            previousHash.CopyTo(buffer);
            var written = previousHash.Length;
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    buffer[written++] = 0;
                }

                written += Encoding.UTF8.GetBytes(parts[i], buffer.AsSpan(written));
            }

            return SHA256.HashData(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
