using System.Globalization;

namespace SiemAi.Benchmarks;

/// <summary>CPU use over a window, in percent of one core; <see cref="Cores"/> × 100 % is the machine.</summary>
public sealed record CpuShares(double Benchmark, double Postgres, double Beam, double Other, double Idle, int Cores, double Seconds)
{
    /// <summary>
    /// CPU microseconds one unit of work cost each party: unlike a rate, this barely moves when other
    /// jobs share the machine, so it says what an idle machine could do.
    /// </summary>
    public string CostPer(double units, string unit) => string.Create(CultureInfo.InvariantCulture,
        $"CPU per {unit}: benchmark process {Benchmark / 100 * Seconds / units * 1e6:0} µs, postgres {Postgres / 100 * Seconds / units * 1e6:0} µs, beam.smp {Beam / 100 * Seconds / units * 1e6:0} µs");

    public static CpuShares Sum(IReadOnlyList<CpuShares> windows)
    {
        var seconds = windows.Sum(w => w.Seconds);
        double Weighted(Func<CpuShares, double> pick) => windows.Sum(w => pick(w) * w.Seconds) / seconds;
        return new CpuShares(Weighted(w => w.Benchmark), Weighted(w => w.Postgres), Weighted(w => w.Beam), Weighted(w => w.Other), Weighted(w => w.Idle), windows[0].Cores, seconds);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"CPU ({Cores} cores = {Cores * 100} %): benchmark process (dotnet) {Benchmark:0} %, postgres {Postgres:0} %, beam.smp {Beam:0} %, other {Other:0} %, idle {Idle:0} %{(Other >= 25 ? " (**other jobs were busy in this window: its rates understate an idle machine; CPU per unit is the steadier figure**)" : string.Empty)}");
}
