using BenchmarkDotNet.Attributes;

namespace Flows.Benchmarks;

/// <summary>F4: three steps of <c>Task.Delay(100)</c> in one group.</summary>
[Workflow]
public partial class DelayFanOutWorkflow
{
    public const int DelayMilliseconds = 100;

    [Step, Parallel("fan")]
    public Task First() => Task.Delay(DelayMilliseconds);

    [Step, Parallel("fan")]
    public Task Second() => Task.Delay(DelayMilliseconds);

    [Step, Parallel("fan")]
    public Task Third() => Task.Delay(DelayMilliseconds);
}

/// <summary>
/// F4 target: 1.00x +/- 1% of the hand-written <c>Task.WhenAll</c> (the baseline) and at most 0.34x of the same three
/// steps awaited one after another (<see cref="HandWrittenSequential"/>, in the same run; its ratio is read off the table).
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class F4DelayFanOut
{
    private readonly DelayFanOutWorkflow _workflow = new();

    [Benchmark(Baseline = true)]
    public async Task HandWrittenWhenAll()
    {
        await Task.WhenAll(_workflow.First(), _workflow.Second(), _workflow.Third()).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task HandWrittenSequential()
    {
        await _workflow.First().ConfigureAwait(false);
        await _workflow.Second().ConfigureAwait(false);
        await _workflow.Third().ConfigureAwait(false);
    }

    [Benchmark]
    public ValueTask Flows() => _workflow.RunAsync();
}
