using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SiemAi.Approvals.Tests;

/// <summary>HS256 JWTs as an identity provider would issue them (built by hand, RFC 7519 compact form).</summary>
public static class TestTokens
{
    public static string Issue(string subject, string role, string key = ApprovalsFixture.JwtSigningKey, string audience = ApprovalsFixture.JwtAudience)
    {
        static string Part(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var unsigned = Part(new { alg = "HS256", typ = "JWT" }) + "." + Part(new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["role"] = role,
            ["iss"] = ApprovalsFixture.JwtIssuer,
            ["aud"] = audience,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 600,
        });
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(unsigned));
        return unsigned + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
