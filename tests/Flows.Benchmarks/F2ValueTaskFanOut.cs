using BenchmarkDotNet.Attributes;

namespace Flows.Benchmarks;

/// <summary>F2: three <see cref="ValueTask{TResult}"/> steps that complete synchronously with a value, summed by a last step.</summary>
[Workflow]
public partial class ValueTaskFanOutWorkflow
{
    // Fields, not constants, so that nothing folds; values outside any cache of completed tasks.
    private readonly int _first = 1000;
    private readonly int _second = 2000;
    private readonly int _third = 3000;

    [Step, Parallel("fan")]
    public ValueTask<int> FirstAsync() => new(_first);

    [Step, Parallel("fan")]
    public ValueTask<int> SecondAsync() => new(_second);

    [Step, Parallel("fan")]
    public ValueTask<int> ThirdAsync() => new(_third);

    [Step]
    public int Sum(int first, int second, int third) => first + second + third;

    // The baseline's steps: the same values as Task<int>, the usual way to write them before ValueTask.
    public Task<int> FirstTaskAsync() => Task.FromResult(_first);

    public Task<int> SecondTaskAsync() => Task.FromResult(_second);

    public Task<int> ThirdTaskAsync() => Task.FromResult(_third);
}

/// <summary>F2 target: at most 0.35x the time of <c>Task&lt;int&gt;</c> steps + <c>Task.WhenAll</c>, and 0 B per run.</summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class F2ValueTaskFanOut
{
    private readonly ValueTaskFanOutWorkflow _workflow = new();

    [GlobalSetup]
    public void CheckBothAgree()
    {
        var flows = Flows().AsTask().GetAwaiter().GetResult();
        var handWritten = HandWrittenTaskWhenAll().GetAwaiter().GetResult();
        if (flows != 6000 || handWritten != 6000)
        {
            throw new InvalidOperationException($"F2: Flows returned {flows}, the hand-written code {handWritten}.");
        }
    }

    [Benchmark(Baseline = true)]
    public async Task<int> HandWrittenTaskWhenAll()
    {
        var first = _workflow.FirstTaskAsync();
        var second = _workflow.SecondTaskAsync();
        var third = _workflow.ThirdTaskAsync();
        await Task.WhenAll(first, second, third).ConfigureAwait(false);
        return _workflow.Sum(first.Result, second.Result, third.Result);
    }

    [Benchmark]
    public ValueTask<int> Flows() => _workflow.RunAsync();
}
