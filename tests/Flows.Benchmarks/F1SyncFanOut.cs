using BenchmarkDotNet.Attributes;

namespace Flows.Benchmarks;

/// <summary>F1: three <see cref="Task"/>-returning steps in one group, each already completed when it returns.</summary>
[Workflow]
public partial class SyncFanOutWorkflow
{
    [Step, Parallel("fan")]
    public Task First() => Task.CompletedTask;

    [Step, Parallel("fan")]
    public Task Second() => Task.CompletedTask;

    [Step, Parallel("fan")]
    public Task Third() => Task.CompletedTask;
}

/// <summary>F1 target: at most 0.30x the time of the hand-written <c>Task.WhenAll</c>, and 0 B per run.</summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class F1SyncFanOut
{
    private readonly SyncFanOutWorkflow _workflow = new();

    [Benchmark(Baseline = true)]
    public async Task HandWrittenWhenAll()
    {
        // The same step methods, orchestrated by hand.
        await Task.WhenAll(_workflow.First(), _workflow.Second(), _workflow.Third()).ConfigureAwait(false);
    }

    [Benchmark]
    public ValueTask Flows() => _workflow.RunAsync();
}
