using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Flows.Internal;

/// <summary>The workers of a foreach loop, and the one path every item takes through either kind of worker.</summary>
internal sealed partial class ForEachLoop<TItem, TResult, TBody, TSource>
{
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
        // A worker that never waits needs no state machine: a synchronous body over a list or a sequence, in a run that
        // can be neither paused nor paced.
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
    // It never throws: every failure is recorded for the loop.
    private void RunWorker()
    {
        try
        {
            while (ShouldContinue() && _source.TryTake(_lock, out var index, out var item))
            {
                if (!TryRunItem(index, item, out var spawned, out var observation, out var pending))
                {
                    WaitForItem(index, spawned, observation, pending);
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
                while (IsPaused(out var control))
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
                while (IsPaused(out var control))
                {
                    await control.WhenResumedAsync(_itemToken).ConfigureAwait(false);
                }

                if (!ShouldContinue())
                {
                    break;
                }

                if (!TryRunItem(index, item, out var spawned, out var observation, out var pending))
                {
                    TResult value;
                    try
                    {
                        value = await pending.ConfigureAwait(false);
                    }
                    catch (Exception exception)
                    {
                        ItemFailed(index, spawned, observation, exception);
                        continue;
                    }

                    ItemSucceeded(index, spawned, observation, value);
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

    // The one path of every item, whichever worker runs it. It joins a worker when every worker is busy (no limit),
    // starts the item's observation and calls the body. When the body has completed already (a synchronous body, or an
    // asynchronous one that did not suspend), the item ends here. Otherwise it returns false with the body's pending
    // result: the worker waits for it (blocking, or awaiting) and ends the item with ItemSucceeded or ItemFailed.
    private bool TryRunItem(int index, TItem item, out bool spawned, out StepObservation? observation, out ValueTask<TResult> pending)
    {
        spawned = SpawnIfAllBusy();
        observation = Observation?.StartItem(index, _options.Stage, _options.Group);
        Invariants.ItemStarted(this, index, _options.MaxDegreeOfParallelism);
        TResult value;
        try
        {
            var context = new StepContext(_options.Workflow, _options.Step, 1, index, _source.Count, observation);
            pending = _body.InvokeAsync(item, context, _itemToken);
            if (!pending.IsCompleted)
            {
                return false;
            }

            value = pending.Result;
        }
        catch (Exception exception)
        {
            pending = default;
            ItemFailed(index, spawned, observation, exception);
            return true;
        }

        ItemSucceeded(index, spawned, observation, value);
        return true;
    }

    // A synchronous body has completed when it returns, but one with [Retry] or [Timeout] may still be waiting (a retry
    // delay): then the synchronous worker waits for it on its thread. The ValueTask may come from a pool, whose result
    // must not be read before it completes (the box would go back to the pool while still running): wait on it as a task.
    private void WaitForItem(int index, bool spawned, StepObservation? observation, ValueTask<TResult> pending)
    {
        TResult value;
        try
        {
            value = pending.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            ItemFailed(index, spawned, observation, exception);
            return;
        }

        ItemSucceeded(index, spawned, observation, value);
    }

    private void ItemSucceeded(int index, bool spawned, StepObservation? observation, TResult value)
    {
        try
        {
            _results.Store(index, value, _lock);
        }
        finally
        {
            EndItem(index, spawned, observation);
        }
    }

    private void ItemFailed(int index, bool spawned, StepObservation? observation, Exception exception)
    {
        try
        {
            observation?.Fail(exception);
            OnItemFailed(index, exception);
        }
        finally
        {
            EndItem(index, spawned, observation);
        }
    }

    private void EndItem(int index, bool spawned, StepObservation? observation)
    {
        Invariants.ItemEnded(this, index);
        observation?.End();
        if (spawned)
        {
            var busy = Interlocked.Decrement(ref _busyWorkers);
            Invariants.NotNegative(busy, "The number of busy foreach workers");
        }
    }

    private bool ShouldContinue() => Volatile.Read(ref _stopping) == 0 && !_itemToken.IsCancellationRequested;

    // The run is paused while the loop goes on: a worker waits before it takes or starts an item.
    private bool IsPaused([NotNullWhen(true)] out FlowControl? control)
    {
        control = _control;
        return control is { IsPaused: true } && ShouldContinue();
    }

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
}
