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
/// <typeparamref name="TSource"/> hands out the items, one small type per kind of source
/// (<see cref="IForEachSource{TItem}"/>); <see cref="ForEachResults{TResult}"/> keeps the results and the failures.
/// </para>
/// <para>
/// A synchronous body runs on workers queued to the thread pool (the loop object itself is the work item); an
/// asynchronous body's worker is an async method whose state machine is boxed once, on its first suspension, and
/// reused for every later item. Nothing is allocated per item.
/// </para>
/// <para>
/// Shared state is touched in three ways: read-only fields, set before the first worker starts; counters and the
/// failure fields, changed with <see cref="Interlocked"/>; what <see cref="_lock"/> guards. Fields that only the
/// coordinator touches between batches need neither: starting a worker and the last worker's completion order them.
/// </para>
/// </remarks>
internal sealed class ForEachLoop<TItem, TResult, TBody, TSource> : IValueTaskSource, IThreadPoolWorkItem
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

        _results.ThrowIfTooFewSucceeded(_source.Position, _options.MinSuccessRate, _options.Step);
    }

    private void StartWorker(bool fromWorker = false)
    {
        if (_options.RunOnThreadPool || fromWorker)
        {
            // A worker started by another worker is queued, never nested on its stack.
            // A synchronous body: workers run on the thread pool so that CPU-bound items really overlap.
            // The loop is the work item (nothing allocated per worker); Execute restores the caller's context.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        else
        {
            // An asynchronous body is started directly; it reaches the thread pool at its first await.
            _ = RunWorkerAsync();
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (_context is null)
        {
            RunQueuedWorker();
        }
        else
        {
            ExecutionContext.Run(_context, s_runQueuedWorker, this);
        }
    }

    private void RunQueuedWorker()
    {
        if (_options.RunOnThreadPool && !_source.IsStream && _control is null && _options.StartInterval == TimeSpan.Zero)
        {
            RunWorker();
        }
        else
        {
            _ = RunWorkerAsync();
        }
    }

    // A worker for a synchronous body over a list or a sequence: no await at all.
    private void RunWorker()
    {
        try
        {
            while (ShouldContinue() && _source.TryTake(_lock, out var index, out var item))
            {
                var spawned = SpawnIfAllBusy();
                var observation = Observation?.StartItem(index, _options.Stage, _options.Group);
                try
                {
                    var context = new StepContext(_options.Workflow, _options.Step, 1, index, _source.Count, observation);
                    // A synchronous body has completed here, but one with [Retry] or [Timeout] may still be waiting
                    // (a retry delay): then wait for it on this thread. Its ValueTask may come from a pool, whose result
                    // must not be read before it completes (the box would go back to the pool while still running).
                    var pending = _body.InvokeAsync(item, context, _itemToken);
                    var value = pending.IsCompleted ? pending.GetAwaiter().GetResult() : pending.AsTask().GetAwaiter().GetResult();
                    Store(index, value);
                }
                catch (Exception exception)
                {
                    observation?.Fail(exception);
                    OnItemFailed(index, exception);
                }
                finally
                {
                    observation?.End();
                    if (spawned)
                    {
                        Interlocked.Decrement(ref _busyWorkers);
                    }
                }
            }
        }
        catch (Exception exception)
        {
            OnSourceFailed(exception);
        }
        finally
        {
            OnWorkerDone();
        }
    }

    // A worker that may wait: for an asynchronous body, a stream, a paused run or a start-rate limit.
    // It never throws: every failure is recorded for the loop.
    private async ValueTask RunWorkerAsync()
    {
        try
        {
            while (true)
            {
                while (_control is { IsPaused: true } control && ShouldContinue())
                {
                    await control.WhenResumedAsync(_itemToken).ConfigureAwait(false);
                }

                if (!ShouldContinue())
                {
                    break;
                }

                int index;
                TItem item;
                if (_source.IsStream)
                {
                    var taken = await _source.TakeAsync(_lock, _itemToken).ConfigureAwait(false);
                    if (!taken.Taken)
                    {
                        break;
                    }

                    (index, item) = (taken.Index, taken.Item);
                }
                else if (!_source.TryTake(_lock, out index, out item))
                {
                    break;
                }

                if (_options.StartInterval > TimeSpan.Zero)
                {
                    await PaceAsync().ConfigureAwait(false);
                }

                // Taking the item or waiting for its start slot may have taken a while: the run may have been
                // paused, cancelled or failed meanwhile, and then the item must not start (yet).
                while (_control is { IsPaused: true } paused && ShouldContinue())
                {
                    await paused.WhenResumedAsync(_itemToken).ConfigureAwait(false);
                }

                if (!ShouldContinue())
                {
                    break;
                }

                var spawned = SpawnIfAllBusy();
                var observation = Observation?.StartItem(index, _options.Stage, _options.Group);
                try
                {
                    var context = new StepContext(_options.Workflow, _options.Step, 1, index, _source.Count, observation);
                    var pending = _body.InvokeAsync(item, context, _itemToken);
                    var value = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
                    Store(index, value);
                }
                catch (Exception exception)
                {
                    observation?.Fail(exception);
                    OnItemFailed(index, exception);
                }
                finally
                {
                    observation?.End();
                    if (spawned)
                    {
                        Interlocked.Decrement(ref _busyWorkers);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_itemToken.IsCancellationRequested)
        {
            // Cancelled while waiting to take or start an item: nothing was started.
        }
        catch (Exception exception)
        {
            OnSourceFailed(exception);
        }
        finally
        {
            OnWorkerDone();
        }
    }

    private bool ShouldContinue() => Volatile.Read(ref _stopping) == 0 && !_itemToken.IsCancellationRequested;

    // With no limit on the degree, a new worker joins whenever every worker is busy with an item.
    private bool SpawnIfAllBusy()
    {
        if (!_unbounded)
        {
            return false;
        }

        if (Interlocked.Increment(ref _busyWorkers) >= Volatile.Read(ref _activeWorkers))
        {
            Interlocked.Increment(ref _activeWorkers);
            StartWorker(fromWorker: true);
        }

        return true;
    }

    // Each start comes at least one start interval after the one before: an exact rate, and a late start never
    // lets the items behind it catch up in a burst.
    private async ValueTask PaceAsync()
    {
        long due;
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            due = _nextStart == 0 ? now : Math.Max(_nextStart, now);
            _nextStart = due + (long)(_options.StartInterval.TotalSeconds * Stopwatch.Frequency);
        }

        while (true)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, _itemToken).ConfigureAwait(false);
        }
    }

    private void Store(int index, TResult value) => _results.Store(index, value, _lock);

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
        if (Interlocked.Decrement(ref _activeWorkers) == 0)
        {
            _workersDone.SetResult(true);
        }
    }

    void IValueTaskSource.GetResult(short token) => _workersDone.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _workersDone.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _workersDone.OnCompleted(continuation, state, token, flags);
}
