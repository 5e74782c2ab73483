namespace Flows.Runtime.Tests;

/// <summary>Fail-fast, caller cancellation and result order.</summary>
[Collection(TimingCollection.Name)]
public sealed class ForEachFailureTests
{
    public ForEachFailureTests() => Limits.EnsureThreadPoolThreads();

    [Theory]
    [MemberData(nameof(Engine.AllKinds), MemberType = typeof(Engine))]
    public async Task FailFast_stops_new_items_cancels_running_ones_and_rethrows_the_original_exception_after_they_stopped(SourceKind kind)
    {
        const int Degree = 4;
        var started = new ConcurrentQueue<int>();
        var observedCancellation = new ConcurrentBag<int>();
        var stillRunning = 0;
        var threeWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ItemFailedException? thrown = null;

        var exception = await Assert.ThrowsAsync<ItemFailedException>(() => Engine.Run(kind, Enumerable.Range(0, 100).ToArray(), async (item, _, ct) =>
        {
            started.Enqueue(item);
            Interlocked.Increment(ref stillRunning);
            try
            {
                if (started.Count >= Degree)
                {
                    threeWaiting.TrySetResult();
                }

                if (item == 3)
                {
                    // Fails once the three other workers are busy with their items.
                    await threeWaiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
                    thrown = new ItemFailedException(item);
                    throw thrown;
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    observedCancellation.Add(item);

                    // Running items are waited for: this one takes a while to stop.
                    await Task.Delay(item == 0 ? 150 : 10, CancellationToken.None);
                    throw;
                }

                return item;
            }
            finally
            {
                Interlocked.Decrement(ref stillRunning);
            }
        }, Engine.Options(Degree)).OrTimeout());

        Assert.Same(thrown, exception);
        Assert.Equal(0, Volatile.Read(ref stillRunning));
        Assert.Equal(new[] { 0, 1, 2, 3 }, started.Order());
        Assert.Equal(new[] { 0, 1, 2 }, observedCancellation.Order());
        Assert.Contains(nameof(FailFast_stops_new_items_cancels_running_ones_and_rethrows_the_original_exception_after_they_stopped), exception.StackTrace);

        await Task.Delay(50);
        Assert.Equal(4, started.Count);
    }

    [Fact]
    public async Task FailFast_with_blocking_bodies_on_the_thread_pool()
    {
        var started = new ConcurrentQueue<int>();
        var stillRunning = 0;

        var exception = await Assert.ThrowsAsync<ItemFailedException>(() => Engine.Run(SourceKind.Array, Enumerable.Range(0, 100).ToArray(), (item, _, ct) =>
        {
            started.Enqueue(item);
            Interlocked.Increment(ref stillRunning);
            try
            {
                if (item == 1)
                {
                    throw new ItemFailedException(item);
                }

                // A blocking body that polls its token.
                for (var i = 0; i < 200 && !ct.IsCancellationRequested; i++)
                {
                    Thread.Sleep(5);
                }

                ct.ThrowIfCancellationRequested();
                return new ValueTask<int>(item);
            }
            finally
            {
                Interlocked.Decrement(ref stillRunning);
            }
        }, Engine.Options(degree: 2, runOnThreadPool: true)).OrTimeout());

        Assert.Equal(1, exception.Index);
        Assert.Equal(0, Volatile.Read(ref stillRunning));
        await Task.Delay(50);
        Assert.True(started.Order().SequenceEqual(new[] { 0, 1 }), $"Items {string.Join(", ", started)} started: the loop went on after item 1 failed.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FailFast_with_one_worker_starts_nothing_after_the_failure(bool onThreadPool)
    {
        var started = new ConcurrentQueue<int>();

        await Assert.ThrowsAsync<ItemFailedException>(() => Engine.Run(SourceKind.List, Enumerable.Range(0, 20).ToArray(), (item, _, _) =>
        {
            started.Enqueue(item);
            return item == 6 ? throw new ItemFailedException(item) : new ValueTask<int>(item);
        }, Engine.Options(degree: 1, runOnThreadPool: onThreadPool)).OrTimeout());

        Assert.Equal(Enumerable.Range(0, 7), started);
    }

    [Fact]
    public async Task FailFast_rethrows_the_first_failure_when_several_items_fail()
    {
        var exception = await Assert.ThrowsAsync<ItemFailedException>(() => Engine.Run<int>(SourceKind.List, Enumerable.Range(0, 8).ToArray(), async (item, _, ct) =>
        {
            if (item == 2)
            {
                await Task.Delay(10, CancellationToken.None);
                throw new ItemFailedException(item);
            }

            // The others fail later, after the first failure, without observing the token.
            await Task.Delay(100, CancellationToken.None);
            throw new InvalidOperationException("A later failure.");
        }, Engine.Options(degree: 8)).OrTimeout());

        Assert.Equal(2, exception.Index);
    }

    [Fact]
    public async Task An_item_token_is_not_cancelled_by_an_earlier_run_that_failed()
    {
        // The loop's linked source is recycled only when it was never cancelled.
        await Assert.ThrowsAsync<ItemFailedException>(() => Engine.Run<int>(SourceKind.List, new[] { 0 }, (item, _, _) =>
            throw new ItemFailedException(item), Engine.Options(1)).OrTimeout());

        var cancelledTokens = 0;
        await Engine.Run(SourceKind.List, Enumerable.Range(0, 4).ToArray(), (item, _, ct) =>
        {
            if (ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref cancelledTokens);
            }

            return new ValueTask<int>(item);
        }, Engine.Options(1)).OrTimeout();

        Assert.Equal(0, cancelledTokens);
    }

    [Theory]
    [MemberData(nameof(Engine.AllKinds), MemberType = typeof(Engine))]
    public async Task Caller_cancellation_while_items_run_ends_with_OperationCanceledException_and_starts_nothing_new(SourceKind kind)
    {
        const int Degree = 4;
        using var cts = new CancellationTokenSource();
        var started = new ConcurrentQueue<int>();
        var observed = 0;

        var run = Engine.Run(kind, Enumerable.Range(0, 50).ToArray(), async (item, _, ct) =>
        {
            started.Enqueue(item);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref observed);
                throw;
            }

            return item;
        }, Engine.Options(Degree), cancellationToken: cts.Token).AsTask();

        await Limits.Until(() => started.Count == Degree, "four items run");
        cts.Cancel(); // every worker is inside an item: none may start another

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.Equal(Degree, Volatile.Read(ref observed));
        await Task.Delay(50);
        Assert.Equal(Degree, started.Count);
    }

    [Theory]
    [InlineData(SourceKind.List, false, false)]
    [InlineData(SourceKind.Lazy, true, false)]
    [InlineData(SourceKind.Stream, false, false)]
    [InlineData(SourceKind.List, false, true)]
    [InlineData(SourceKind.Lazy, true, true)]
    public async Task Caller_cancellation_seen_by_one_worker_starts_no_later_item(SourceKind kind, bool onThreadPool, bool continueOnError)
    {
        using var cts = new CancellationTokenSource();
        var started = new ConcurrentQueue<int>();
        Func<int, StepContext, CancellationToken, ValueTask<int>> body = (item, _, _) =>
        {
            started.Enqueue(item);
            if (item == 5)
            {
                cts.Cancel();
            }

            return new ValueTask<int>(item);
        };
        var options = Engine.Options(degree: 1, runOnThreadPool: onThreadPool, continueOnError: continueOnError);

        if (continueOnError)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Engine.RunWithOutcomes(kind, Enumerable.Range(0, 20).ToArray(), body, options, cancellationToken: cts.Token).OrTimeout());
        }
        else
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Engine.Run(kind, Enumerable.Range(0, 20).ToArray(), body, options, cancellationToken: cts.Token).OrTimeout());
        }

        Assert.Equal(Enumerable.Range(0, 6), started);
    }

    [Theory]
    [MemberData(nameof(Engine.AllKinds), MemberType = typeof(Engine))]
    public async Task A_token_cancelled_before_the_loop_starts_runs_no_item(SourceKind kind)
    {
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Engine.Run(kind, Enumerable.Range(0, 10).ToArray(), (item, _, _) =>
        {
            Interlocked.Increment(ref calls);
            return new ValueTask<int>(item);
        }, Engine.Options(4), cancellationToken: new CancellationToken(true)).OrTimeout());

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Cancellation_during_the_delay_between_batches_ends_the_loop_before_the_next_batch()
    {
        using var cts = new CancellationTokenSource();
        var started = new ConcurrentQueue<int>();

        var run = Engine.Run(SourceKind.List, Enumerable.Range(0, 6).ToArray(), (item, _, _) =>
        {
            started.Enqueue(item);
            return new ValueTask<int>(item);
        }, Engine.Options(degree: 4, batchSize: 3, delayBetweenBatchesMilliseconds: 10_000), cancellationToken: cts.Token).AsTask();

        await Limits.Until(() => started.Count == 3, "the first batch ran");
        await Task.Delay(50);
        var stopwatch = Stopwatch.StartNew();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), "The loop waited out the delay between batches after it was cancelled.");
        Assert.Equal(new[] { 0, 1, 2 }, started.Order());
    }

    [Fact]
    public async Task Cancellation_while_waiting_for_a_start_rate_slot_ends_the_loop()
    {
        using var cts = new CancellationTokenSource();
        var started = new ConcurrentQueue<int>();

        var run = Engine.Run(SourceKind.List, Enumerable.Range(0, 10).ToArray(), (item, _, _) =>
        {
            started.Enqueue(item);
            return new ValueTask<int>(item);
        }, Engine.Options(degree: 2, maxItemsPerSecond: 0.5), cancellationToken: cts.Token).AsTask();

        await Limits.Until(() => !started.IsEmpty, "the first item ran");
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        await Task.Delay(50);
        Assert.Equal(new[] { 0 }, started);
    }

    [Fact]
    public async Task A_stream_item_arriving_after_cancellation_does_not_start()
    {
        // The stream ignores the token: the worker waiting on it gets an item after the run was cancelled.
        using var cts = new CancellationTokenSource();
        var started = new ConcurrentQueue<int>();

        async IAsyncEnumerable<int> Stream()
        {
            yield return 0;
            await Task.Delay(200, CancellationToken.None);
            yield return 1;
        }

        var run = ForEach.OverStreamAsync<int, int, Body<int, int>>(Stream(), new Body<int, int>(async (item, _, _) =>
        {
            started.Enqueue(item);
            if (item == 0)
            {
                // By now the other worker waits on the stream for item 1.
                await Task.Delay(50, CancellationToken.None);
                cts.Cancel();
            }

            return item;
        }), Engine.Options(2), null, cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.Equal(new[] { 0 }, started);
    }

    [Fact]
    public async Task A_stream_item_arriving_after_a_failure_does_not_start()
    {
        var started = new ConcurrentQueue<int>();

        async IAsyncEnumerable<int> Stream()
        {
            yield return 0;
            await Task.Delay(200, CancellationToken.None);
            yield return 1;
        }

        await Assert.ThrowsAsync<ItemFailedException>(() => ForEach.OverStreamAsync<int, int, Body<int, int>>(Stream(), new Body<int, int>(async (item, _, _) =>
        {
            started.Enqueue(item);
            if (item == 0)
            {
                // By now the other worker waits on the stream for item 1.
                await Task.Delay(50, CancellationToken.None);
                throw new ItemFailedException(item);
            }

            return item;
        }), Engine.Options(2), null, default).OrTimeout());

        Assert.Equal(new[] { 0 }, started);
    }

    [Theory]
    [MemberData(nameof(Engine.AllKinds), MemberType = typeof(Engine))]
    public async Task Results_are_in_source_order_whatever_order_items_finish_in(SourceKind kind)
    {
        var completion = new ConcurrentQueue<int>();
        var items = Enumerable.Range(0, 24).ToArray();

        var results = await Engine.Run(kind, items, async (item, _, _) =>
        {
            // Later items finish first.
            await Task.Delay((24 - item) * 3);
            completion.Enqueue(item);
            return $"r{item}";
        }, Engine.Options(degree: -1)).OrTimeout();

        Assert.Equal(items.Select(i => $"r{i}"), results);
        Assert.NotEqual(items, completion.ToArray());
    }

    [Fact]
    public async Task Results_are_in_source_order_with_blocking_bodies()
    {
        var items = Enumerable.Range(0, 64).ToArray();

        var results = await Engine.Run(SourceKind.Lazy, items, (item, _, _) =>
        {
            Thread.Sleep(item % 5);
            return new ValueTask<int>(item * item);
        }, Engine.Options(degree: 4, runOnThreadPool: true)).OrTimeout();

        Assert.Equal(items.Select(i => i * i), results);
    }
}
