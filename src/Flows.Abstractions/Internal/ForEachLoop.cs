using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Flows.Internal;

/// <summary>
/// One run of a foreach step. Workers take items from a shared source until it is exhausted, the step fails
/// (fail-fast) or the run is cancelled; the loop completes when the last worker has stopped.
/// </summary>
/// <remarks>
/// <para>
/// The loop is written by concern: this file coordinates (batches, failures, completion); ForEachLoop.Workers.cs runs
/// the workers and the items (pausing, pacing, spawning); <typeparamref name="TSource"/> hands out the items, one small
/// type per kind of source (<see cref="IForEachSource{TItem}"/>); <see cref="ForEachResults{TResult}"/> keeps the
/// results and the failures.
/// </para>
/// <para>
/// A synchronous body runs on workers queued to the thread pool (the loop object itself is the work item); an
/// asynchronous body's worker is an async method whose state machine is boxed once, on its first suspension, and
/// reused for every later item. The loop allocates nothing per item.
/// </para>
/// <para>
/// Shared state is touched in three ways: read-only fields, set before the first worker starts; counters and the
/// failure fields, changed with <see cref="Interlocked"/>; what <see cref="_lock"/> guards. Fields that only the
/// coordinator touches between batches need neither: starting a worker and the last worker's completion order them.
/// </para>
/// </remarks>
internal sealed partial class ForEachLoop<TItem, TResult, TBody, TSource> : IValueTaskSource, IThreadPoolWorkItem
    where TBody : IForEachBody<TItem, TResult>
    where TSource : IForEachSource<TItem>
{
    private static readonly ContextCallback s_runQueuedWorker =
        static loop => ((ForEachLoop<TItem, TResult, TBody, TSource>)loop!).RunQueuedWorker();

    // The step's body and options, the run's FlowControl (null when the run cannot be paused) and the run's token.
    private readonly TBody _body;
    private readonly ForEachOptions _options;
    private readonly FlowControl? _control;
    private readonly CancellationToken _runToken;

    // MaxDegreeOfParallelism is -1: one worker starts, and another joins whenever every worker is busy with an item.
    private readonly bool _unbounded;

    // The caller's context, captured once per loop: workers queued to the thread pool run in it, as Parallel.ForEachAsync's
    // do, so that AsyncLocals, the culture, logging scopes and Activity.Current reach a synchronous body too. Null when
    // the caller suppressed the flow.
    private readonly ExecutionContext? _context;

    // Guards what several workers change at once and Interlocked cannot: a sequence's enumerator, a growing result list,
    // the failures of continue-on-error and the pacing clock (_nextStart).
    private readonly object _lock = new();

    // Where the items come from. Not readonly: it is a mutable struct for a list or a sequence, changed in place.
    private TSource _source;

    // The values and the failures of the items. Not readonly: a mutable struct, changed in place.
    private ForEachResults<TResult> _results;

    // Fail-fast: the items' own source, cancelled by the first failure (and by the run's token). Continue-on-error: none,
    // and the items get the run's token.
    private LinkedCancellation _cancellation;
    private CancellationToken _itemToken;

    // Completes when the last worker of the current batch has stopped; reset before each batch.
    private ManualResetValueTaskSourceCore<bool> _workersDone;

    // Workers of the current batch that have not stopped: set by the coordinator, raised by a spawning worker (no
    // limit), lowered by each worker as it stops. Never above the degree when there is one.
    private int _activeWorkers;

    // No limit only: workers busy with an item. When it reaches _activeWorkers, the worker starting an item spawns another.
    private int _busyWorkers;

    // 1 once the loop stops taking items: the first failure (fail-fast), or a failure of the source whatever the policy.
    private int _stopping;

    // The first failed item (fail-fast) and the failure of the source itself (its enumerator threw); each set once.
    private Exception? _firstFailure;
    private Exception? _sourceFailure;

    // A start-rate limit: the Stopwatch timestamp of the next free start, under _lock; 0 before the first start.
    private long _nextStart;

    public ForEachLoop(
        TBody body,
        ForEachOptions options,
        FlowControl? control,
        CancellationToken runToken,
        TSource source,
        RunObserver? observer = null)
    {
        _body = body;
        _options = options;
        _control = control;
        _runToken = runToken;
        _source = source;
        _unbounded = options.MaxDegreeOfParallelism == -1;

        // Started here, inside the engine's async method, so that the step's activity is current for it alone.
        Observation = observer?.StartStep(options.Step, options.Stage, options.Group);
        _context = ExecutionContext.Capture();
    }

    /// <summary>The step's observation in an observed run; null otherwise.</summary>
    public StepObservation? Observation { get; }

    public async ValueTask RunAsync()
    {
        // Fail-fast items share a token of their own, cancelled on the first failure; with continue-on-error a
        // failure cancels nothing, so items get the run's token.
        if (_options.ContinueOnError)
        {
            _itemToken = _runToken;
        }
        else
        {
            _cancellation = LinkedCancellation.Create(_runToken);
            _itemToken = _cancellation.Token;
        }

        try
        {
            _results.Prepare(_source.Count, _source.IsIndexed);
            while (true)
            {
                if (_runToken.IsCancellationRequested || Volatile.Read(ref _stopping) != 0)
                {
                    break;
                }

                // The next batch: the next BatchSize items (all of them without batches), fewer where the source is
                // known to end first.
                var batchStart = _source.Position;
                var batchSize = _options.BatchSize > 0 ? _options.BatchSize : int.MaxValue;
                var remaining = _source.Count >= 0 ? _source.Count - batchStart : int.MaxValue;
                if (remaining <= 0 || _source.IsExhausted)
                {
                    break;
                }

                var batchItems = Math.Min(batchSize, remaining);
                _source.StartBatch((int)Math.Min((long)batchStart + batchItems, int.MaxValue));
                var workers = _unbounded ? 1 : Math.Min(_options.MaxDegreeOfParallelism, batchItems);

                _workersDone.Reset();
                _activeWorkers = workers;
                for (var i = 0; i < workers; i++)
                {
                    StartWorker();
                }

                await new ValueTask(this, _workersDone.Version).ConfigureAwait(false);
                CheckBatchEnded();

                if (_options.BatchSize <= 0 || _source.IsExhausted || Volatile.Read(ref _stopping) != 0 || _runToken.IsCancellationRequested)
                {
                    break;
                }

                if (_options.DelayBetweenBatches > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(_options.DelayBetweenBatches, _runToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (_runToken.IsCancellationRequested)
                    {
                        break;
                    }
                }
            }

            CheckRanToEnd();
        }
        finally
        {
            try
            {
                await _source.ReleaseAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                _sourceFailure ??= exception;
            }

            _cancellation.Dispose();
        }
    }

    /// <summary>The items' values in source order, once the loop has run; throws what the loop ended with instead.</summary>
    public IReadOnlyList<TResult> GetResults()
    {
        ThrowIfFailed();
        return _results.ToResults(_source.Position);
    }

    /// <summary>The items' outcomes in source order, once the loop has run; throws what the loop ended with instead.</summary>
    public IReadOnlyList<Outcome<TResult>> GetOutcomes()
    {
        ThrowIfFailed();
        return _results.ToOutcomes(_source.Position);
    }

    private void ThrowIfFailed()
    {
        // A run cancelled before the loop ended ends it with OperationCanceledException, also when an item failed
        // meanwhile (a failure being handled when the cancellation came): the caller asked for the run to stop.
        _runToken.ThrowIfCancellationRequested();

        if (_sourceFailure is not null)
        {
            ExceptionDispatchInfo.Throw(_sourceFailure);
        }

        if (_firstFailure is not null)
        {
            ExceptionDispatchInfo.Throw(_firstFailure);
        }

        // Neither stopped nor cancelled: every item was taken, a list's to its end.
        Invariants.That(!_source.IsIndexed || _source.Position == _source.Count, "A list's loop that ran to its end took every item.");
        _results.ThrowIfTooFewSucceeded(_source.Position, _options.MinSuccessRate, _options.Step);
    }

    private void OnItemFailed(int index, Exception exception)
    {
        if (_options.ContinueOnError)
        {
            _results.RecordFailure(index, exception, _lock);
            return;
        }

        if (Interlocked.CompareExchange(ref _firstFailure, exception, null) is null)
        {
            Stop();
        }
    }

    // A failure of the source itself (its enumerator threw) fails the step whatever the policy.
    private void OnSourceFailed(Exception exception)
    {
        if (exception is OperationCanceledException && _itemToken.IsCancellationRequested)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _sourceFailure, exception, null) is null)
        {
            Stop();
        }
    }

    private void Stop()
    {
        Volatile.Write(ref _stopping, 1);
        if (_options.ContinueOnError)
        {
            return;
        }

        try
        {
            _cancellation.Source.Cancel();
        }
        catch (AggregateException)
        {
            // A callback an item registered on its token threw; the items' own failures reach the loop anyway.
        }
    }

    private void OnWorkerDone()
    {
        var active = Interlocked.Decrement(ref _activeWorkers);
        Invariants.NotNegative(active, "The number of active foreach workers");
        if (active == 0)
        {
            _workersDone.SetResult(true);
        }
    }

    // Every worker of the batch has stopped, so none is busy and no item is in flight.
    [Conditional("DEBUG")]
    private void CheckBatchEnded()
    {
        Invariants.That(Volatile.Read(ref _activeWorkers) == 0, "A foreach batch ended with a worker still active.");
        Invariants.That(Volatile.Read(ref _busyWorkers) == 0, "A foreach batch ended with a worker still busy.");
        Invariants.NoItemInFlight(this);
    }

    // A loop that was neither stopped nor cancelled ended every item it took, once.
    [Conditional("DEBUG")]
    private void CheckRanToEnd()
    {
        if (Volatile.Read(ref _stopping) == 0 && !_runToken.IsCancellationRequested)
        {
            Invariants.EveryItemEndedOnce(this, _source.Position);
        }
    }

    void IValueTaskSource.GetResult(short token) => _workersDone.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _workersDone.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _workersDone.OnCompleted(continuation, state, token, flags);
}
