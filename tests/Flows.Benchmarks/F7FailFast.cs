using System.Runtime.ExceptionServices;
using BenchmarkDotNet.Attributes;

namespace Flows.Benchmarks;

/// <summary>
/// F7: the failure path of a fail-fast group of three members: a step that waits on its token, a step that fails, and a
/// foreach (16 items, degree 4) whose items wait on their token. The failing step fails once the foreach has started
/// its fourth item, so each run is deterministic whatever the scheduling: four items and the waiting step are
/// cancelled by the failure, no other item starts, and the run ends with the failing step's
/// <see cref="InvalidOperationException"/>.
/// </summary>
[Workflow]
public partial class FailFastWorkflow
{
    public const int ItemCount = 16;
    public const int Degree = 4;

    private TaskCompletionSource _fourItemsStarted = new();
    private int _itemsStarted;

    /// <summary>Prepares one run: called before every run, by Flows and by the hand-written code alike.</summary>
    public void Arm()
    {
        _itemsStarted = 0;
        _fourItemsStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>How many items the last run started.</summary>
    public int ItemsStarted => Volatile.Read(ref _itemsStarted);

    [Step, Parallel("work")]
    public Task Load(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    [Step, Parallel("work")]
    public async Task Validate()
    {
        await _fourItemsStarted.Task.ConfigureAwait(false);
        throw new InvalidOperationException("Validation failed.");
    }

    [ParallelForEach("items", MaxDegreeOfParallelism = Degree), Parallel("work")]
    public Task Reserve(int item, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _itemsStarted) == Degree)
        {
            _fourItemsStarted.TrySetResult();
        }

        return Task.Delay(Timeout.Infinite, cancellationToken);
    }
}

/// <summary>
/// F7 target: at most 1.0x the time and the bytes of the same group written by hand with the same exception semantics:
/// a linked token source cancelled by the first failure, <c>Task.WhenAll</c> over the members (the foreach being
/// <c>Parallel.ForEachAsync</c> on the linked token), and the first failure rethrown with its original type and stack.
/// </summary>
[Config(typeof(BenchmarkConfig))]
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class F7FailFast
{
    private readonly FailFastWorkflow _workflow = new();
    private readonly int[] _items = Work.Items(FailFastWorkflow.ItemCount);

    [GlobalSetup]
    public void CheckBothFailTheSameWay()
    {
        foreach (var (name, run) in new (string, Func<Task>)[] { ("Flows", () => _workflow.RunAsync(_items).AsTask()), ("HandWritten", () => HandWrittenAsync(_items, default)) })
        {
            try
            {
                _workflow.Arm();
                run().GetAwaiter().GetResult();
                throw new InvalidOperationException($"F7: {name} did not fail.");
            }
            catch (InvalidOperationException exception) when (exception.Message == "Validation failed.")
            {
                if (exception.StackTrace?.Contains(nameof(FailFastWorkflow.Validate), StringComparison.Ordinal) != true)
                {
                    throw new InvalidOperationException($"F7: {name} lost the original stack.", exception);
                }

                if (_workflow.ItemsStarted != FailFastWorkflow.Degree)
                {
                    throw new InvalidOperationException($"F7: {name} started {_workflow.ItemsStarted} items, not {FailFastWorkflow.Degree}.");
                }
            }
        }
    }

    [Benchmark(Baseline = true)]
    public async Task HandWritten()
    {
        _workflow.Arm();
        try
        {
            await HandWrittenAsync(_items, default).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }
    }

    [Benchmark]
    public async Task Flows()
    {
        _workflow.Arm();
        try
        {
            await _workflow.RunAsync(_items).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }
    }

    // What one writes without Flows for the same group and the same semantics.
    private async Task HandWrittenAsync(IReadOnlyList<int> items, CancellationToken cancellationToken)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = cancellation.Token;
        Exception? firstFailure = null;

        var load = Member(_workflow.Load(token));
        var validate = Member(_workflow.Validate());
        var reserve = Member(Parallel.ForEachAsync(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = FailFastWorkflow.Degree, CancellationToken = token },
            (item, itemToken) => new ValueTask(_workflow.Reserve(item, itemToken))));

        try
        {
            await Task.WhenAll(load, validate, reserve).ConfigureAwait(false);
        }
        catch when (firstFailure is not null)
        {
            ExceptionDispatchInfo.Throw(firstFailure);
        }

        async Task Member(Task task)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref firstFailure, exception, null);
                cancellation.Cancel();
                throw;
            }
        }
    }
}
