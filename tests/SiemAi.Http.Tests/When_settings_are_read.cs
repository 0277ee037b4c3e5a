using Microsoft.Extensions.Configuration;

namespace SiemAi.Http.Tests;

public sealed class When_settings_are_read
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData(" True ", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    [InlineData("NO", false)]
    [InlineData("off", false)]
    public void Every_documented_boolean_spelling_is_accepted(string value, bool expected) =>
        Assert.Equal(expected, Settings.Boolean("SIEMAI_LAB_MODE", value));

    [Theory]
    [InlineData("maybe")]
    [InlineData("y")]
    [InlineData("t")]
    [InlineData("2")]
    [InlineData("enabled")]
    [InlineData("tru")]
    [InlineData("")]
    public void Any_other_spelling_stops_the_start_naming_the_setting_and_what_it_accepts(string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Settings.Boolean("DUAL_CONTROL_ENABLED", value));

        Assert.Equal("DUAL_CONTROL_ENABLED", error.Setting);
        Assert.Equal($"DUAL_CONTROL_ENABLED='{value}' is not a boolean; use true/false, 1/0, yes/no or on/off (case-insensitive).", error.Message);
        Assert.IsAssignableFrom<InvalidOperationException>(error);
    }

    [Fact]
    public void The_first_set_name_wins_and_an_unset_or_empty_one_means_the_fallback()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SIEMAI_LAB_MODE"] = "",
            ["Approvals:LabMode"] = "yes",
            ["RUNNER_LAB"] = "off",
        }).Build();

        Assert.True(Settings.Boolean(configuration, false, "SIEMAI_LAB_MODE", "Approvals:LabMode"));
        Assert.False(Settings.Boolean(configuration, true, "RUNNER_LAB", "Approvals:LabMode"));
        Assert.True(Settings.Boolean(configuration, true, "ALLOW_HTTP"));
        Assert.False(Settings.Boolean(configuration, false, "ALLOW_HTTP"));
    }

    [Fact]
    public void A_bad_value_behind_a_configuration_name_is_refused_with_that_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ALLOW_HTTP"] = "sure" }).Build();

        var error = Assert.Throws<InvalidSettingException>(() => Settings.Boolean(configuration, false, "ALLOW_HTTP"));

        Assert.Equal("ALLOW_HTTP", error.Setting);
        Assert.StartsWith("ALLOW_HTTP='sure' is not a boolean", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("600", 600)]
    [InlineData(" 2.5 ", 2.5)]
    [InlineData("1e3", 1000)]
    [InlineData("-1", -1)]
    public void Numbers_are_read_in_the_invariant_culture(string value, double expected) =>
        Assert.Equal(expected, Settings.Number("RUNNER_TIMEOUT_SECONDS", value));

    [Theory]
    [InlineData("2,5")]
    [InlineData("ten")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Anything_else_is_not_a_number(string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Settings.Number("RUNNER_TIMEOUT_SECONDS", value));

        Assert.Equal($"RUNNER_TIMEOUT_SECONDS='{value}' is not a number.", error.Message);
    }

    [Theory]
    [InlineData("4", 4)]
    [InlineData(" 8 ", 8)]
    [InlineData("-1", -1)]
    public void Whole_numbers_are_read(string value, int expected) =>
        Assert.Equal(expected, Settings.Integer("RUNNER_MAX_CONCURRENT_RUNS", value));

    [Theory]
    [InlineData("2.5")]
    [InlineData("1,000")]
    [InlineData("four")]
    [InlineData("99999999999")]
    public void A_fraction_or_word_is_not_a_whole_number(string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Settings.Integer("RUNNER_MAX_CONCURRENT_RUNS", value));

        Assert.Equal($"RUNNER_MAX_CONCURRENT_RUNS='{value}' is not a whole number.", error.Message);
    }
}
