using BenchmarkDotNet.Attributes;

namespace Flows.Benchmarks;

/// <summary>F3: three steps that really suspend (<see cref="Task.Yield"/>) in one group.</summary>
[Workflow]
public partial class SuspendingFanOutWorkflow
{
    [Step, Parallel("fan")]
    public async Task First() => await Task.Yield();

    [Step, Parallel("fan")]
    public async Task Second() => await Task.Yield();

    [Step, Parallel("fan")]
    public async Task Third() => await Task.Yield();
}

/// <summary>F3 target: at most 1.0x the time and 0.75x the bytes of the hand-written <c>Task.WhenAll</c>.</summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class F3SuspendingFanOut
{
    private readonly SuspendingFanOutWorkflow _workflow = new();

    [Benchmark(Baseline = true)]
    public async Task HandWrittenWhenAll()
    {
        await Task.WhenAll(_workflow.First(), _workflow.Second(), _workflow.Third()).ConfigureAwait(false);
    }

    [Benchmark]
    public ValueTask Flows() => _workflow.RunAsync();
}
