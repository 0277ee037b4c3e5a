namespace SiemAi.Http.Tests;

public sealed class When_an_api_key_is_presented
{
    private const string SplunkKey = "splunk-key-0123456789abcdef";
    private const string ElasticKey = "elastic-key-fedcba9876543210";
    private const string NewSplunkKey = "splunk-key-rotated-2026-12";

    private static readonly Dictionary<string, string> Principals = new(StringComparer.Ordinal)
    {
        ["splunk"] = ApiKeyMatcher.HashOf(SplunkKey),
        ["elastic"] = ApiKeyMatcher.HashOf(ElasticKey).ToUpperInvariant(),
    };

    private static string? Match(string? key, IReadOnlyDictionary<string, string> principals) =>
        ApiKeyMatcher.TryMatch(key, principals, p => p.Value, out var match) ? match.Key : null;

    [Fact]
    public void The_right_key_finds_its_principal_whatever_the_case_of_the_configured_hex()
    {
        Assert.Equal("splunk", Match(SplunkKey, Principals));
        Assert.Equal("elastic", Match(ElasticKey, Principals));
    }

    [Theory]
    [InlineData("splunk-key-0123456789abcdeF")]
    [InlineData("splunk-key-0123456789abcde")]
    [InlineData(" splunk-key-0123456789abcdef")]
    [InlineData("0b6fd3bb0fe1e33a4ab4a8bb6a4f3ac2e4e8d03fd4b8d6b07c1de9bb4d6a9c11")]
    public void A_wrong_key_finds_no_one(string key) => Assert.Null(Match(key, Principals));

    [Fact]
    public void The_configured_hash_itself_is_not_a_key()
    {
        Assert.Null(Match(ApiKeyMatcher.HashOf(SplunkKey), Principals));
    }

    [Fact]
    public void During_a_rotation_the_old_and_the_new_key_both_name_the_same_principal()
    {
        var rotating = new Dictionary<string, string>(Principals, StringComparer.Ordinal)
        {
            ["splunk"] = $"{ApiKeyMatcher.HashOf(SplunkKey)}, {ApiKeyMatcher.HashOf(NewSplunkKey)}",
        };

        Assert.Equal("splunk", Match(SplunkKey, rotating));
        Assert.Equal("splunk", Match(NewSplunkKey, rotating));
        Assert.Equal("elastic", Match(ElasticKey, rotating));

        var rotated = new Dictionary<string, string>(rotating, StringComparer.Ordinal) { ["splunk"] = ApiKeyMatcher.HashOf(NewSplunkKey) };
        Assert.Null(Match(SplunkKey, rotated));
        Assert.Equal("splunk", Match(NewSplunkKey, rotated));
    }

    [Fact]
    public void Two_names_at_once_also_rotate_and_the_first_listed_wins_a_shared_hash()
    {
        var twoNames = new List<KeyValuePair<string, string>>
        {
            new("splunk-2026", ApiKeyMatcher.HashOf(NewSplunkKey)),
            new("splunk-2025", ApiKeyMatcher.HashOf(SplunkKey)),
            new("splunk-copy", ApiKeyMatcher.HashOf(SplunkKey)),
        };

        Assert.True(ApiKeyMatcher.TryMatch(SplunkKey, twoNames, p => p.Value, out var old));
        Assert.Equal("splunk-2025", old.Key);
        Assert.True(ApiKeyMatcher.TryMatch(NewSplunkKey, twoNames, p => p.Value, out var current));
        Assert.Equal("splunk-2026", current.Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_key_finds_no_one_even_if_a_principal_has_an_empty_hash(string? key)
    {
        var withEmpty = new Dictionary<string, string>(Principals, StringComparer.Ordinal)
        {
            ["nobody"] = "",
            ["empty-hash"] = ApiKeyMatcher.HashOf(""),
        };

        Assert.Null(Match(key, withEmpty));
    }

    [Fact]
    public void An_oversized_key_is_refused_before_hashing_even_when_its_hash_is_configured()
    {
        var huge = new string('k', ApiKeyMatcher.MaxKeyLength + 1);
        var limit = new string('k', ApiKeyMatcher.MaxKeyLength);
        var configured = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["huge"] = ApiKeyMatcher.HashOf(huge),
            ["limit"] = ApiKeyMatcher.HashOf(limit),
        };

        Assert.Null(Match(huge, configured));
        Assert.Equal("limit", Match(limit, configured));
    }

    [Theory]
    [InlineData("not-hex")]
    [InlineData("zz6fd3bb0fe1e33a4ab4a8bb6a4f3ac2e4e8d03fd4b8d6b07c1de9bb4d6a9c11")]
    [InlineData("6fd3bb0fe1e33a4ab4a8bb6a4f3ac2e4")]
    public void A_malformed_hash_never_matches_and_does_not_stop_the_others(string malformed)
    {
        var configured = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["broken"] = malformed,
            ["splunk"] = $"{malformed},{ApiKeyMatcher.HashOf(SplunkKey)}",
        };

        Assert.Equal("splunk", Match(SplunkKey, configured));
        Assert.Null(Match(malformed, configured));
    }

    [Fact]
    public void The_hash_is_the_lower_case_hex_sha256_that_sha256sum_prints()
    {
        // printf %s 'abc' | sha256sum
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyMatcher.HashOf("abc"));
    }
}
