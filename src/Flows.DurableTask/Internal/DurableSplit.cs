using System.ComponentModel;
using System.Linq;
using System.Runtime.ExceptionServices;
using Flows.Internal;
using Microsoft.DurableTask;

namespace Flows.DurableTask.Internal;

/// <summary>
/// Keeps a foreach's history bounded: every activity call adds events to the history of the orchestration that makes
/// it, and the orchestrator replays that history each time it wakes up. A source of at most
/// <see cref="ItemsPerOrchestration"/> items runs in the workflow's own orchestration; a larger one runs in
/// sub-orchestrations of that many items each, one after another, so no history holds more than that many items' calls
/// (the parent's holds one call per chunk). The window, the degree, the options and the results are those of an inline
/// foreach. Orchestrator code, replay-safe. Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableSplit
{
    /// <summary>The bound: the most items whose activity calls one orchestration's history holds.</summary>
    public const int DefaultItemsPerOrchestration = 1_000;

    /// <summary>The bound in use; tests lower it. Every worker of a task hub must use the same value.</summary>
    public static int ItemsPerOrchestration { get; internal set; } = DefaultItemsPerOrchestration;

    /// <summary>Runs a foreach whose first failure fails the step, inline or in chunks.</summary>
    /// <param name="context">The orchestration's context.</param>
    /// <param name="items">The source.</param>
    /// <param name="options">The step's options.</param>
    /// <param name="startItem">Schedules one item's work here (a source within the bound).</param>
    /// <param name="runChunk">Runs the items from an offset, so many of them, in a sub-orchestration, and gives their results in order.</param>
    public static async Task<IReadOnlyList<TResult>> RunAsync<TItem, TResult>(
        TaskOrchestrationContext context,
        IReadOnlyList<TItem> items,
        ForEachOptions options,
        Func<TItem, int, Task<TResult>> startItem,
        Func<int, int, Task<TResult[]>> runChunk)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(runChunk);
        var chunk = ChunkSize(options);
        if (items.Count <= chunk)
        {
            return await DurableForEach.RunAsync(context, items, options, startItem);
        }

        var results = new List<TResult>(items.Count);
        for (var offset = 0; offset < items.Count; offset += chunk)
        {
            await BetweenChunksAsync(context, options, offset);
            results.AddRange(await CallChunkAsync(options, runChunk(offset, Math.Min(chunk, items.Count - offset))));
        }

        return results;
    }

    /// <summary>Runs a continue-on-error foreach inline or in chunks; the success rate is checked over every item.</summary>
    /// <param name="context">The orchestration's context.</param>
    /// <param name="items">The source.</param>
    /// <param name="options">The step's options.</param>
    /// <param name="startItem">Schedules one item's work here (a source within the bound).</param>
    /// <param name="runChunk">Runs the items from an offset in a sub-orchestration (<see cref="RunChunkWithOutcomesAsync{TItem, TResult}"/>) and gives their outcomes in order.</param>
    public static async Task<IReadOnlyList<Outcome<TResult>>> RunWithOutcomesAsync<TItem, TResult>(
        TaskOrchestrationContext context,
        IReadOnlyList<TItem> items,
        ForEachOptions options,
        Func<TItem, int, Task<TResult>> startItem,
        Func<int, int, Task<DurableOutcome<TResult>[]>> runChunk)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runChunk);
        var chunk = ChunkSize(options);
        if (items.Count <= chunk)
        {
            return await DurableForEach.RunWithOutcomesAsync(context, items, options, startItem);
        }

        var outcomes = new List<Outcome<TResult>>(items.Count);
        for (var offset = 0; offset < items.Count; offset += chunk)
        {
            await BetweenChunksAsync(context, options, offset);
            outcomes.AddRange(DurableOutcome.FromWire(await CallChunkAsync(options, runChunk(offset, Math.Min(chunk, items.Count - offset)))));
        }

        var failures = outcomes.Where(static outcome => !outcome.IsSuccess).Select(static outcome => outcome.Exception!).ToList();
        var successes = outcomes.Count - failures.Count;
        if (failures.Count > 0 && options.MinSuccessRate > 0 && successes < options.MinSuccessRate * outcomes.Count)
        {
            throw new AggregateException(
                $"Step '{options.Step}': {successes} of {outcomes.Count} items succeeded, fewer than the minimum success rate of {options.MinSuccessRate:P0}.",
                failures);
        }

        return outcomes;
    }

    /// <summary>
    /// A chunk's sub-orchestration of a continue-on-error foreach: every item's outcome, in wire form; the success rate is
    /// left to the parent, which sees every item.
    /// </summary>
    public static async Task<DurableOutcome<TResult>[]> RunChunkWithOutcomesAsync<TItem, TResult>(
        TaskOrchestrationContext context, IReadOnlyList<TItem> items, ForEachOptions options, Func<TItem, int, Task<TResult>> startItem) =>
        DurableOutcome.ToWire(await DurableForEach.RunWithOutcomesAsync(context, items, options, startItem));

    /// <summary>
    /// The options of a chunk's sub-orchestration: its instance id is the parent's, the step's and the chunk's offset
    /// (<c>&lt;parent&gt;:&lt;step&gt;:&lt;offset&gt;</c>), the same on every replay and easy to find from the parent.
    /// </summary>
    public static SubOrchestrationOptions ChunkOptions(TaskOrchestrationContext context, string step, int offset)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new SubOrchestrationOptions((TaskRetryOptions?)null, $"{context.InstanceId}:{step}:{offset.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    /// <summary>The chunk's items, from <paramref name="offset"/>: what its sub-orchestration's input carries.</summary>
    public static TItem[] Slice<TItem>(IReadOnlyList<TItem> items, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(items);
        var slice = new TItem[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = items[offset + i];
        }

        return slice;
    }

    // Whole batches per chunk, so that a batch never spans two chunks.
    private static int ChunkSize(ForEachOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var chunk = Math.Max(1, ItemsPerOrchestration);
        return options.BatchSize > 0 && chunk > options.BatchSize ? chunk - (chunk % options.BatchSize) : chunk;
    }

    // What separates two chunks as it would two items or batches of an inline run: the pause between batches, and one
    // start interval of the rate limit (a chunk's first item may start no sooner after the previous chunk's last).
    private static async Task BetweenChunksAsync(TaskOrchestrationContext context, ForEachOptions options, int offset)
    {
        DurableRunEnd.ThrowIfEnded(context);
        if (offset == 0)
        {
            return;
        }

        var pause = options.BatchSize > 0 ? options.DelayBetweenBatches : TimeSpan.Zero;
        if (options.StartInterval > pause)
        {
            pause = options.StartInterval;
        }

        if (pause > TimeSpan.Zero)
        {
            await context.CreateTimer(context.CurrentUtcDateTime.Add(pause), CancellationToken.None);
            DurableRunEnd.ThrowIfEnded(context);
        }
    }

    private static async Task<T> CallChunkAsync<T>(ForEachOptions options, Task<T> chunk)
    {
        try
        {
            return await chunk;
        }
        catch (TaskFailedException exception)
        {
            // The chunk failed in one of its items: its failure names that item's step, type and message.
            ExceptionDispatchInfo.Throw(DurableStepException.FromTaskFailure(options.Step, exception));
            throw;
        }
    }
}
