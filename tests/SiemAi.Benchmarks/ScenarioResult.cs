namespace SiemAi.Benchmarks;

/// <summary>What one scenario measured: table rows plus notes that explain them (sizes, CPU split, bounds).</summary>
public sealed record ScenarioResult(string Scenario, IReadOnlyList<BenchmarkRow> Rows, IReadOnlyList<string> Notes);
