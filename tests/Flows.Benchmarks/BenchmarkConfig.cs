using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Flows.Benchmarks;

/// <summary>
/// Columns every scenario shows besides the defaults: the median (the design reads time ratios from the median of
/// at least 15 iterations) and the baseline ratios. The job itself (3 warm-ups, 15 iterations) is on each class as
/// <c>[SimpleJob]</c> so that it is visible where the scenario is written.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
    }
}
