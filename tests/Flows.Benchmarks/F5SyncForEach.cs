using BenchmarkDotNet.Attributes;

namespace Flows.Benchmarks;

/// <summary>
/// F5: a foreach over 10,000 items with a synchronous body (cheap arithmetic), degree 8. The body writes its result into
/// the item's slot of an output array and returns nothing, so neither side collects results: the measured cost is the
/// loop's own.
/// </summary>
[Workflow]
public partial class SyncForEachWorkflow
{
    private readonly int[] _output;

    public SyncForEachWorkflow(int[] output) => _output = output;

    [ParallelForEach("items", MaxDegreeOfParallelism = Work.Degree)]
    public void Process(int item) => _output[item] = Work.Compute(item);
}

/// <summary>F5 target: at most 1.0x the time of <c>Parallel.ForEachAsync</c>; at most 2 KB per loop and 0 B per item.</summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class F5SyncForEach
{
    private readonly int[] _items = Work.Items(Work.ItemCount);
    private readonly int[] _output = new int[Work.ItemCount];
    private readonly ParallelOptions _options = new() { MaxDegreeOfParallelism = Work.Degree };
    private readonly SyncForEachWorkflow _workflow;
    private readonly Func<int, CancellationToken, ValueTask> _body;

    public F5SyncForEach()
    {
        _workflow = new SyncForEachWorkflow(_output);

        // Created once, like the workflow: the baseline pays no delegate per run.
        _body = (item, _) =>
        {
            _output[item] = Work.Compute(item);
            return default;
        };
    }

    [GlobalSetup]
    public void CheckBothDoTheWork()
    {
        ParallelForEachAsync().GetAwaiter().GetResult();
        Work.Verify(_output, nameof(ParallelForEachAsync));
        Flows().AsTask().GetAwaiter().GetResult();
        Work.Verify(_output, nameof(Flows));
    }

    [Benchmark(Baseline = true)]
    public Task ParallelForEachAsync() => Parallel.ForEachAsync(_items, _options, _body);

    [Benchmark]
    public ValueTask Flows() => _workflow.RunAsync(_items);
}
