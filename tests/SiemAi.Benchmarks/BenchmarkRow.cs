namespace SiemAi.Benchmarks;

/// <summary>
/// One line of the results table: our figure, the raw baseline measured in the same run (when the goal
/// is a ratio), and whether the goal holds.
/// </summary>
public sealed record BenchmarkRow(
    string Scenario,
    string Figure,
    double Value,
    string Unit,
    double? Baseline,
    string Goal,
    bool Pass)
{
    public double? Ratio => Baseline is > 0 ? Value / Baseline.Value : null;

    /// <summary>A throughput figure judged by its ratio to the baseline.</summary>
    public static BenchmarkRow RatioGoal(string scenario, string figure, double value, string unit, double baseline, double minRatio) =>
        new(scenario, figure, value, unit, baseline, $"ratio ≥ {minRatio:0.0#}", baseline > 0 && value / baseline >= minRatio);

    /// <summary>A figure that must reach at least <paramref name="min"/>.</summary>
    public static BenchmarkRow AtLeast(string scenario, string figure, double value, string unit, double min) =>
        new(scenario, figure, value, unit, null, $"≥ {Format(min)} {unit}", value >= min);

    /// <summary>A figure that must stay at or below <paramref name="max"/>.</summary>
    public static BenchmarkRow AtMost(string scenario, string figure, double value, string unit, double max) =>
        new(scenario, figure, value, unit, null, $"≤ {Format(max)} {unit}", value <= max);

    /// <summary>Context for the reader (sizes, counts); no goal.</summary>
    public static BenchmarkRow Info(string scenario, string figure, double value, string unit) =>
        new(scenario, figure, value, unit, null, "—", Pass: true);

    public bool HasGoal => Goal != "—";

    public static string Format(double value) => value switch
    {
        >= 100 => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
        >= 10 => value.ToString("N1", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString("N2", System.Globalization.CultureInfo.InvariantCulture),
    };
}
