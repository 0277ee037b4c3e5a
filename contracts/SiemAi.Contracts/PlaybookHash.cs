using System.Security.Cryptography;
using System.Text;

namespace SiemAi.Contracts;

/// <summary>The one way SiemAi names a playbook: lower-case hex SHA-256 of its UTF-8 bytes.</summary>
public static class PlaybookHash
{
    public static string Of(string yaml) => Of(Encoding.UTF8.GetBytes(yaml));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
