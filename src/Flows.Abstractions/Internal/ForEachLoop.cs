using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;

namespace Flows.Internal;

/// <summary>
/// One run of a foreach step. Workers take items from a shared source until it is exhausted, the step fails
/// (fail-fast) or the run is cancelled; the loop completes when the last worker has stopped.
/// </summary>
/// <remarks>
/// A list is read by index with one <see cref="Interlocked"/> increment per item; any other sequence under a
/// lock; a stream under an asynchronous gate. A synchronous body runs on workers queued to the thread pool
/// (the loop object itself is the work item); an asynchronous body's worker is an async method whose state
/// machine is boxed once, on its first suspension, and reused for every later item.
/// </remarks>
internal sealed class ForEachLoop<TItem, TResult, TBody> : IValueTaskSource, IThreadPoolWorkItem
    where TBody : IForEachBody<TItem, TResult>
{
    private static readonly ContextCallback s_runQueuedWorker = static loop => ((ForEachLoop<TItem, TResult, TBody>)loop!).RunQueuedWorker();

    private readonly TBody _body;
    private readonly ForEachOptions _options;
    private readonly FlowControl? _control;
    private readonly CancellationToken _runToken;
    private readonly IReadOnlyList<TItem>? _list;
    private readonly IEnumerable<TItem>? _enumerable;
    private readonly IAsyncEnumerable<TItem>? _stream;
    private readonly object _lock = new();
    private readonly int _count;
    private readonly bool _unbounded;

    // The caller's context, captured once per loop: workers queued to the thread pool run in it, as Parallel.ForEachAsync's
    // do, so that AsyncLocals, the culture, logging scopes and Activity.Current reach a synchronous body too. Null when
    // the caller suppressed the flow.
    private readonly ExecutionContext? _context;

    private IEnumerator<TItem>? _enumerator;
    private IAsyncEnumerator<TItem>? _streamEnumerator;
    private SemaphoreSlim? _streamGate;

    private ForEachResults<TResult> _results;
    private int _itemsTaken;

    private LinkedCancellation _cancellation;
    private CancellationToken _itemToken;
    private ManualResetValueTaskSourceCore<bool> _workersDone;
    private int _activeWorkers;
    private int _busyWorkers;

    // Items are taken while _next < _batchEnd; the coordinator moves _batchEnd batch by batch.
    private int _next;
    private int _batchEnd;
    private bool _sourceExhausted;
    private Exception? _firstFailure;
    private Exception? _sourceFailure;
    private int _stopping;

    private long _nextStart;

    public ForEachLoop(
        TBody body,
        ForEachOptions options,
        FlowControl? control,
        CancellationToken runToken,
        IReadOnlyList<TItem>? list,
        IEnumerable<TItem>? enumerable,
        IAsyncEnumerable<TItem>? stream,
        RunObserver? observer = null)
    {
        _body = body;
        _options = options;
        _control = control;
        _runToken = runToken;
        _list = list;
        _enumerable = enumerable;
        _stream = stream;
        _unbounded = options.MaxDegreeOfParallelism == -1;
        _count = list?.Count
            ?? (enumerable as IReadOnlyCollection<TItem>)?.Count
            ?? (enumerable as ICollection<TItem>)?.Count
            ?? -1;

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
            _results.Prepare(_count, indexed: _list is not null);

            var batchStart = 0;
            while (true)
            {
                if (_runToken.IsCancellationRequested || Volatile.Read(ref _stopping) != 0)
                {
                    break;
                }

                // The next batch: a range of the list, or the next BatchSize items of a sequence.
                var batchSize = _options.BatchSize > 0 ? _options.BatchSize : int.MaxValue;
                var remaining = _list is not null ? _list.Count - batchStart : (_count >= 0 ? _count - batchStart : int.MaxValue);
                if (remaining <= 0 || _sourceExhausted)
                {
                    break;
                }

                var batchItems = Math.Min(batchSize, remaining);
                _next = batchStart;
                _batchEnd = (int)Math.Min((long)batchStart + batchItems, int.MaxValue);
                var workers = _unbounded ? 1 : Math.Min(_options.MaxDegreeOfParallelism, batchItems);

                _workersDone.Reset();
                _activeWorkers = workers;
                for (var i = 0; i < workers; i++)
                {
                    StartWorker();
                }

                await new ValueTask(this, _workersDone.Version).ConfigureAwait(false);

                batchStart = _list is not null ? _batchEnd : _itemsTaken;
                var more = _list is not null ? batchStart < _list.Count : !_sourceExhausted;
                if (_options.BatchSize <= 0 || !more || Volatile.Read(ref _stopping) != 0 || _runToken.IsCancellationRequested)
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
            await ReleaseSourceAsync().ConfigureAwait(false);
            _cancellation.Dispose();
        }
    }

    public IReadOnlyList<TResult> GetResults()
    {
        ThrowIfFailed();
        return _results.ToResults(_list?.Count ?? _itemsTaken);
    }

    public IReadOnlyList<Outcome<TResult>> GetOutcomes()
    {
        ThrowIfFailed();
        return _results.ToOutcomes(_list?.Count ?? _itemsTaken);
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

        _results.ThrowIfTooFewSucceeded(_list?.Count ?? _itemsTaken, _options.MinSuccessRate, _options.Step);
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
        if (_options.RunOnThreadPool && _stream is null && _control is null && _options.StartInterval == TimeSpan.Zero)
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
            while (ShouldContinue() && TryTake(out var index, out var item))
            {
                var spawned = SpawnIfAllBusy();
                var observation = Observation?.StartItem(index, _options.Stage, _options.Group);
                try
                {
                    var context = new StepContext(_options.Workflow, _options.Step, 1, index, _count, observation);
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
                if (_stream is null)
                {
                    if (!TryTake(out index, out item))
                    {
                        break;
                    }
                }
                else
                {
                    var taken = await TakeFromStreamAsync().ConfigureAwait(false);
                    if (!taken.Taken)
                    {
                        break;
                    }

                    (index, item) = (taken.Index, taken.Item);
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
                    var context = new StepContext(_options.Workflow, _options.Step, 1, index, _count, observation);
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

    private bool TryTake(out int index, out TItem item)
    {
        if (_list is not null)
        {
            index = Interlocked.Increment(ref _next) - 1;
            if (index >= _batchEnd)
            {
                item = default!;
                return false;
            }

            item = _list[index];
            return true;
        }

        lock (_lock)
        {
            _enumerator ??= _enumerable!.GetEnumerator();
            if (_sourceExhausted || _itemsTaken >= _batchEnd || !MoveNext(_enumerator))
            {
                index = -1;
                item = default!;
                return false;
            }

            index = _itemsTaken++;
            item = _enumerator.Current;
            return true;
        }
    }

    private bool MoveNext(IEnumerator<TItem> enumerator)
    {
        bool moved;
        try
        {
            moved = enumerator.MoveNext();
        }
        catch
        {
            // A source that threw is not read again, by this worker or another.
            _sourceExhausted = true;
            throw;
        }

        _sourceExhausted |= !moved;
        return moved;
    }

    private async ValueTask<(bool Taken, int Index, TItem Item)> TakeFromStreamAsync()
    {
        SemaphoreSlim gate;
        lock (_lock)
        {
            gate = _streamGate ??= new SemaphoreSlim(1, 1);
        }

        await gate.WaitAsync(_itemToken).ConfigureAwait(false);
        try
        {
            _streamEnumerator ??= _stream!.GetAsyncEnumerator(_itemToken);
            if (_sourceExhausted || _itemsTaken >= _batchEnd)
            {
                return (false, -1, default!);
            }

            if (!await _streamEnumerator.MoveNextAsync().ConfigureAwait(false))
            {
                _sourceExhausted = true;
                return (false, -1, default!);
            }

            return (true, _itemsTaken++, _streamEnumerator.Current);
        }
        finally
        {
            gate.Release();
        }
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

    private async ValueTask ReleaseSourceAsync()
    {
        try
        {
            _enumerator?.Dispose();
            if (_streamEnumerator is not null)
            {
                await _streamEnumerator.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            _sourceFailure ??= exception;
        }
        finally
        {
            _streamGate?.Dispose();
        }
    }

    void IValueTaskSource.GetResult(short token) => _workersDone.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _workersDone.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _workersDone.OnCompleted(continuation, state, token, flags);
}
