using System.Security.Cryptography;
using System.Text;

namespace SiemAi.Contracts;

/// <summary>
/// Deterministic message ids: a consumer that answers message M publishes its answer with
/// <c>Derive(M.MessageId, "AnswerType")</c>, so a redelivered M yields the same answer id and the
/// receiver's inbox drops the second copy. (Name-based, RFC 4122 version 5 layout over SHA-256.)
/// </summary>
public static class MessageIds
{
    public static Guid Derive(Guid source, string purpose)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(purpose.Length)];
        source.TryWriteBytes(input);
        var length = 16 + Encoding.UTF8.GetBytes(purpose, input[16..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16]);
    }
}
