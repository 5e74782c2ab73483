using BenchmarkDotNet.Attributes;

namespace Flows.Benchmarks;

/// <summary>R1: one step that completes synchronously with a value, without resilience attributes.</summary>
[Workflow]
public partial class PlainStepWorkflow
{
    private readonly int _value = 1000;

    [Step]
    public ValueTask<int> ComputeAsync() => new(_value);
}

/// <summary>R1: the same step with <see cref="RetryAttribute"/>; it succeeds at its first attempt.</summary>
[Workflow]
public partial class RetriedStepWorkflow
{
    private readonly int _value = 1000;

    [Step, Retry(3, DelayMilliseconds = 10)]
    public ValueTask<int> ComputeAsync() => new(_value);
}

/// <summary>R1: the same step with <see cref="TimeoutAttribute"/>; it finishes long before its limit.</summary>
[Workflow]
public partial class TimedStepWorkflow
{
    private readonly int _value = 1000;

    [Step, Timeout(1000)]
    public ValueTask<int> ComputeAsync() => new(_value);
}

/// <summary>R1: the same step with both attributes.</summary>
[Workflow]
public partial class RetriedTimedStepWorkflow
{
    private readonly int _value = 1000;

    [Step, Retry(3, DelayMilliseconds = 10), Timeout(1000)]
    public ValueTask<int> ComputeAsync() => new(_value);
}

/// <summary>
/// R1, the issue-6 bar: <see cref="RetryAttribute"/> and <see cref="TimeoutAttribute"/> add no allocation on the success
/// path beyond the timeout's own timer. The baseline is the same step without attributes.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class R1ResilienceSuccessPath
{
    private readonly PlainStepWorkflow _plain = new();
    private readonly RetriedStepWorkflow _retried = new();
    private readonly TimedStepWorkflow _timed = new();
    private readonly RetriedTimedStepWorkflow _retriedTimed = new();

    [GlobalSetup]
    public void CheckAllAgree()
    {
        var results = new[] { Plain(), Retry(), Timeout(), RetryAndTimeout() }.Select(run => run.AsTask().GetAwaiter().GetResult()).ToArray();
        if (results.Any(result => result != 1000))
        {
            throw new InvalidOperationException($"R1: the workflows returned {string.Join(", ", results)}.");
        }
    }

    [Benchmark(Baseline = true)]
    public ValueTask<int> Plain() => _plain.RunAsync();

    [Benchmark]
    public ValueTask<int> Retry() => _retried.RunAsync();

    [Benchmark]
    public ValueTask<int> Timeout() => _timed.RunAsync();

    [Benchmark]
    public ValueTask<int> RetryAndTimeout() => _retriedTimed.RunAsync();
}
