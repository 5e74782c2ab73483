using System.ComponentModel;
using System.Linq;
using System.Runtime.ExceptionServices;
using Flows.Internal;
using Microsoft.DurableTask;

namespace Flows.DurableTask.Internal;

/// <summary>
/// Runs a <c>[ParallelForEach]</c> step in an orchestration: a sliding window of at most
/// <see cref="ForEachOptions.MaxDegreeOfParallelism"/> item calls in flight, results in source order. Batches and the
/// start-rate limit wait on durable timers. Not meant to be called by user code.
/// </summary>
/// <remarks>
/// <para>Semantics are the in-process engine's (<see cref="ForEach"/>): without
/// <see cref="ForEachOptions.ContinueOnError"/>, the first failure (in completion order) stops new items; the items in
/// flight are waited for (an activity cannot be cancelled) and then that failure is thrown. With it, every item runs,
/// failures become failed <see cref="Outcome{T}"/>s, and fewer successes than
/// <see cref="ForEachOptions.MinSuccessRate"/> of the items throw an <see cref="AggregateException"/> of the failures in
/// source order. With <see cref="ForEachOptions.BatchSize"/>, a batch starts when the previous one has completed, after
/// <see cref="ForEachOptions.DelayBetweenBatches"/>; with a start interval (<c>MaxItemsPerSecond</c>), each start comes at
/// least one interval after the one before.</para>
/// <para>Replay-safe: items start in source order, the window learns of completions through <see cref="Task.WhenAny(IEnumerable{Task})"/>
/// and <see cref="Task.IsCompleted"/> (which the orchestration's history decides), time is
/// <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/> and waits are <see cref="TaskOrchestrationContext.CreateTimer(DateTime, CancellationToken)"/>.
/// No <c>await</c> uses <c>ConfigureAwait(false)</c>.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableForEach
{
    /// <summary>Runs every item; the first failure fails the step once the items in flight have completed.</summary>
    /// <param name="context">The orchestration's context.</param>
    /// <param name="items">The source.</param>
    /// <param name="options">The step's options, as for the in-process engine; <see cref="ForEachOptions.ContinueOnError"/> must be false.</param>
    /// <param name="startItem">Schedules the work of one item (its activity call, with its retries) and returns its task; gets the item and its position.</param>
    public static async Task<IReadOnlyList<TResult>> RunAsync<TItem, TResult>(
        TaskOrchestrationContext context, IReadOnlyList<TItem> items, ForEachOptions options, Func<TItem, int, Task<TResult>> startItem)
    {
        Validate(context, items, options, startItem);
        if (options.ContinueOnError)
        {
            throw new ArgumentException("A continue-on-error foreach gives outcomes: call RunWithOutcomesAsync.", nameof(options));
        }

        var window = new Window<TItem, TResult>(context, items, options, startItem);
        await window.RunAsync();
        DurableRunEnd.ThrowIfEnded(context);
        if (window.FirstFailure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return window.Results;
    }

    /// <summary>Runs every item and gives an outcome per item, in source order (<see cref="ForEachOptions.ContinueOnError"/>).</summary>
    /// <param name="context">The orchestration's context.</param>
    /// <param name="items">The source.</param>
    /// <param name="options">The step's options, as for the in-process engine; <see cref="ForEachOptions.ContinueOnError"/> must be true.</param>
    /// <param name="startItem">Schedules the work of one item (its activity call, with its retries) and returns its task; gets the item and its position.</param>
    /// <exception cref="AggregateException">Fewer items than <see cref="ForEachOptions.MinSuccessRate"/> of them succeeded.</exception>
    public static async Task<IReadOnlyList<Outcome<TResult>>> RunWithOutcomesAsync<TItem, TResult>(
        TaskOrchestrationContext context, IReadOnlyList<TItem> items, ForEachOptions options, Func<TItem, int, Task<TResult>> startItem)
    {
        Validate(context, items, options, startItem);
        if (!options.ContinueOnError)
        {
            throw new ArgumentException("Only a continue-on-error foreach gives outcomes: call RunAsync.", nameof(options));
        }

        var window = new Window<TItem, TResult>(context, items, options, startItem);
        await window.RunAsync();
        DurableRunEnd.ThrowIfEnded(context);

        var results = window.Results;
        var failures = window.Failures;
        var outcomes = new Outcome<TResult>[results.Length];
        var failed = 0;
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (failures?[i] is { } failure)
            {
                outcomes[i] = Outcome<TResult>.Failure(failure);
                failed++;
            }
            else
            {
                outcomes[i] = Outcome<TResult>.Success(results[i]);
            }
        }

        // As in-process: the share of successes is checked against the rate, and the failures are thrown in source order.
        var total = outcomes.Length;
        var successes = total - failed;
        if (failed > 0 && options.MinSuccessRate > 0 && successes < options.MinSuccessRate * total)
        {
            throw new AggregateException(
                $"Step '{options.Step}': {successes} of {total} items succeeded, fewer than the minimum success rate of {options.MinSuccessRate:P0}.",
                failures!.OfType<Exception>());
        }

        return outcomes;
    }

    private static void Validate<TItem, TResult>(
        TaskOrchestrationContext context, IReadOnlyList<TItem> items, ForEachOptions options, Func<TItem, int, Task<TResult>> startItem)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(startItem);
    }

    /// <summary>The state of one run of a foreach step: the items in flight, the results and the failures.</summary>
    private sealed class Window<TItem, TResult>
    {
        private readonly TaskOrchestrationContext _context;
        private readonly IReadOnlyList<TItem> _items;
        private readonly ForEachOptions _options;
        private readonly Func<TItem, int, Task<TResult>> _startItem;
        private readonly int _degree;

        // The items in flight, in the order they started, and their positions in the source.
        private readonly List<Task<TResult>> _running = new();
        private readonly List<int> _runningIndex = new();
        private DateTime _nextStart;

        public Window(TaskOrchestrationContext context, IReadOnlyList<TItem> items, ForEachOptions options, Func<TItem, int, Task<TResult>> startItem)
        {
            _context = context;
            _items = items;
            _options = options;
            _startItem = startItem;
            _degree = options.MaxDegreeOfParallelism == -1 ? int.MaxValue : options.MaxDegreeOfParallelism;
            Results = new TResult[items.Count];
        }

        public TResult[] Results { get; }

        /// <summary>With continue-on-error: each item's failure, by position; null until one fails.</summary>
        public Exception?[]? Failures { get; private set; }

        /// <summary>Without continue-on-error: the first failure seen, which stops new items.</summary>
        public Exception? FirstFailure { get; private set; }

        // After a failure (without continue-on-error), or once the run has ended (its time limit expired), nothing starts.
        private bool Stopped => FirstFailure is not null || DurableRunEnd.HasEnded(_context);

        public async Task RunAsync()
        {
            var count = _items.Count;
            var batchSize = _options.BatchSize > 0 ? _options.BatchSize : Math.Max(count, 1);
            for (var batchStart = 0; batchStart < count && !Stopped;)
            {
                if (batchStart > 0 && _options.DelayBetweenBatches > TimeSpan.Zero)
                {
                    await _context.CreateTimer(_context.CurrentUtcDateTime.Add(_options.DelayBetweenBatches), CancellationToken.None);
                }

                var batchEnd = (int)Math.Min((long)batchStart + batchSize, count);
                await RunBatchAsync(batchStart, batchEnd);
                batchStart = batchEnd;
            }
        }

        // Fills the window with the batch's items in order and refills it as items complete; returns when every started
        // item has completed. After a failure (without continue-on-error) nothing more starts.
        private async Task RunBatchAsync(int start, int end)
        {
            var next = start;
            while (true)
            {
                TakeCompleted();
                if (next < end && !Stopped && _running.Count < _degree)
                {
                    if (_options.StartInterval > TimeSpan.Zero && !await PaceAsync())
                    {
                        // Items failed while the start waited for its slot.
                        continue;
                    }

                    Start(next++);
                    continue;
                }

                if (_running.Count == 0)
                {
                    return;
                }

                await Task.WhenAny(_running);
            }
        }

        private void Start(int index)
        {
            Task<TResult> task;
            try
            {
                task = _startItem(_items[index], index);
            }
            catch (Exception exception)
            {
                task = Task.FromException<TResult>(exception);
            }

            _running.Add(task);
            _runningIndex.Add(index);
        }

        // Takes in every item in flight that has completed, in the order the items started.
        private void TakeCompleted()
        {
            for (var i = 0; i < _running.Count;)
            {
                var task = _running[i];
                if (!task.IsCompleted)
                {
                    i++;
                    continue;
                }

                var index = _runningIndex[i];
                _running.RemoveAt(i);
                _runningIndex.RemoveAt(i);
                if (task.IsCompletedSuccessfully)
                {
                    Results[index] = task.Result;
                }
                else if (_options.ContinueOnError)
                {
                    (Failures ??= new Exception?[Results.Length])[index] = TaskObservation.FailureOf(task);
                }
                else
                {
                    var failure = TaskObservation.FailureOf(task);
                    FirstFailure ??= failure;
                }
            }
        }

        // Each start comes at least one start interval after the one before, as in-process: the next start is due one
        // interval after this one, whenever this one comes. Returns false when items failed during the wait, so that the
        // start is called off (its slot stays free).
        private async Task<bool> PaceAsync()
        {
            var now = _context.CurrentUtcDateTime;
            var due = _nextStart > now ? _nextStart : now;
            if (due > now)
            {
                await _context.CreateTimer(due, CancellationToken.None);
                TakeCompleted();
                if (Stopped)
                {
                    return false;
                }
            }

            _nextStart = due.Add(_options.StartInterval);
            return true;
        }
    }
}
