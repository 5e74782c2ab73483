using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Flows.Internal;

/// <summary>
/// The body of a <c>[ParallelForEach]</c> step, as generated code hands it to the foreach engine: usually a small
/// struct holding the workflow and the step's other arguments, so that calling it costs no delegate.
/// Not meant to be implemented by user code.
/// </summary>
/// <typeparam name="TItem">The item type.</typeparam>
/// <typeparam name="TResult">The item's result; <see cref="NoResult"/> when the step returns none.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IForEachBody<TItem, TResult>
{
    /// <summary>Runs the step for one item.</summary>
    ValueTask<TResult> InvokeAsync(TItem item, in StepContext context, CancellationToken cancellationToken);
}

/// <summary>The result of a foreach body that returns nothing. Not meant to be used by user code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct NoResult
{
    /// <summary>Completes when <paramref name="task"/> does, without allocating when it already has.</summary>
    public static ValueTask<NoResult> From(Task task) =>
        task.IsCompletedSuccessfully ? default : AwaitAsync(task);

    /// <summary>Completes when <paramref name="task"/> does, without allocating when it already has.</summary>
    public static ValueTask<NoResult> From(ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            task.GetAwaiter().GetResult();
            return default;
        }

        return AwaitAsync(task);
    }

    // Pooled: a body that suspends on every item does not cost an allocation per item here.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<NoResult> AwaitAsync(Task task)
    {
        await task.ConfigureAwait(false);
        return default;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<NoResult> AwaitAsync(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return default;
    }
}

/// <summary>
/// The options of one <c>[ParallelForEach]</c> step. Generated code keeps one instance per step in a static field,
/// so a run allocates none. Not meant to be used by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ForEachOptions
{
    /// <summary>Creates the options; see <see cref="ParallelForEachAttribute"/> for each value.</summary>
    /// <param name="workflow">The workflow's name, for <see cref="StepContext.Workflow"/>.</param>
    /// <param name="step">The step's name, for <see cref="StepContext.Step"/>.</param>
    /// <param name="maxDegreeOfParallelism">The most items at once; -1 for no limit.</param>
    /// <param name="runOnThreadPool">The body is synchronous: run items on thread-pool workers so they really overlap.</param>
    /// <param name="continueOnError">Failed items become failed outcomes instead of failing the step.</param>
    /// <param name="minSuccessRate">With <paramref name="continueOnError"/>: the smallest share of items that must succeed.</param>
    /// <param name="batchSize">Items per batch; 0 for no batches.</param>
    /// <param name="delayBetweenBatchesMilliseconds">The pause between two batches.</param>
    /// <param name="maxItemsPerSecond">The most items started per second; 0 for no limit.</param>
    /// <param name="stage">The step's stage, from 1, for traces and timelines.</param>
    /// <param name="group">The step's parallel group, or null, for traces and timelines.</param>
    public ForEachOptions(
        string workflow,
        string step,
        int maxDegreeOfParallelism,
        bool runOnThreadPool,
        bool continueOnError = false,
        double minSuccessRate = 0,
        int batchSize = 0,
        int delayBetweenBatchesMilliseconds = 0,
        double maxItemsPerSecond = 0,
        int stage = 0,
        string? group = null)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use a positive degree, or -1 for no limit.");
        }

        Workflow = workflow;
        Step = step;
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
        RunOnThreadPool = runOnThreadPool;
        ContinueOnError = continueOnError;
        MinSuccessRate = minSuccessRate;
        BatchSize = Math.Max(0, batchSize);
        DelayBetweenBatches = TimeSpan.FromMilliseconds(Math.Max(0, delayBetweenBatchesMilliseconds));
        StartInterval = maxItemsPerSecond > 0 ? TimeSpan.FromSeconds(1 / maxItemsPerSecond) : TimeSpan.Zero;
        Stage = stage;
        Group = group;
    }

    /// <summary>The workflow's name.</summary>
    public string Workflow { get; }

    /// <summary>The step's name.</summary>
    public string Step { get; }

    /// <summary>The most items at once; -1 for no limit.</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>Whether items run on thread-pool workers (a synchronous body).</summary>
    public bool RunOnThreadPool { get; }

    /// <summary>Whether failed items become failed outcomes.</summary>
    public bool ContinueOnError { get; }

    /// <summary>The smallest share of items that must succeed, with <see cref="ContinueOnError"/>.</summary>
    public double MinSuccessRate { get; }

    /// <summary>Items per batch; 0 for no batches.</summary>
    public int BatchSize { get; }

    /// <summary>The pause between two batches.</summary>
    public TimeSpan DelayBetweenBatches { get; }

    /// <summary>The time between two item starts; zero for no limit.</summary>
    public TimeSpan StartInterval { get; }

    /// <summary>The step's stage, from 1; 0 when unknown.</summary>
    public int Stage { get; }

    /// <summary>The step's parallel group, or null.</summary>
    public string? Group { get; }
}
