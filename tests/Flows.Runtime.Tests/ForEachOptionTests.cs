namespace Flows.Runtime.Tests;

/// <summary>One behaviour test per <see cref="ForEachOptions"/> option, with the engine called directly.</summary>
[Collection(TimingCollection.Name)]
public sealed class ForEachOptionTests
{
    public ForEachOptionTests() => Limits.EnsureThreadPoolThreads();

    [Theory]
    [MemberData(nameof(Engine.AllKinds), MemberType = typeof(Engine))]
    public async Task Degree_is_reached_and_never_exceeded(SourceKind kind)
    {
        var concurrency = new Concurrency();
        var items = Enumerable.Range(0, 40).ToArray();

        var results = await Engine.Run(kind, items, async (item, _, ct) =>
        {
            concurrency.Enter();
            try
            {
                await Task.Delay(15, ct);
                return item * 2;
            }
            finally
            {
                concurrency.Exit();
            }
        }, Engine.Options(degree: 4)).OrTimeout();

        Assert.Equal(items.Select(i => i * 2), results);
        Assert.Equal(4, concurrency.Max);
    }

    [Fact]
    public async Task Degree_of_one_runs_items_one_after_another_in_order()
    {
        var concurrency = new Concurrency();
        var order = new ConcurrentQueue<int>();

        await Engine.Run(SourceKind.List, Enumerable.Range(0, 20).ToArray(), async (item, _, _) =>
        {
            concurrency.Enter();
            order.Enqueue(item);
            await Task.Yield();
            concurrency.Exit();
            return item;
        }, Engine.Options(degree: 1)).OrTimeout();

        Assert.Equal(1, concurrency.Max);
        Assert.Equal(Enumerable.Range(0, 20), order);
    }

    [Fact]
    public async Task The_default_like_degree_of_the_processor_count_is_reached_and_never_exceeded()
    {
        var degree = Environment.ProcessorCount;
        var concurrency = new Concurrency();
        var items = Enumerable.Range(0, degree * 5).ToArray();

        var results = await Engine.Run(SourceKind.Array, items, async (item, _, ct) =>
        {
            concurrency.Enter();
            await Task.Delay(10, ct);
            concurrency.Exit();
            return item;
        }, Engine.Options(degree)).OrTimeout();

        Assert.Equal(items, results);
        Assert.Equal(degree, concurrency.Max);
    }

    [Theory]
    [MemberData(nameof(Engine.AllKinds), MemberType = typeof(Engine))]
    public async Task Unbounded_degree_runs_every_item_at_once(SourceKind kind)
    {
        const int Count = 48;
        var concurrency = new Concurrency();
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var results = await Engine.Run(kind, Enumerable.Range(0, Count).ToArray(), async (item, _, _) =>
        {
            concurrency.Enter();
            if (concurrency.Current == Count)
            {
                allStarted.TrySetResult();
            }

            // Every item waits until all of them are running: only an unbounded loop gets past this.
            await allStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            concurrency.Exit();
            return item;
        }, Engine.Options(degree: -1)).OrTimeout();

        Assert.Equal(Count, concurrency.Max);
        Assert.Equal(Enumerable.Range(0, Count), results);
    }

    [Fact]
    public async Task Unbounded_degree_with_blocking_bodies_on_the_thread_pool_runs_every_item_at_once()
    {
        const int Count = 16;
        var concurrency = new Concurrency();
        using var allStarted = new CountdownEvent(Count);

        await Engine.Run(SourceKind.List, Enumerable.Range(0, Count).ToArray(), (item, _, _) =>
        {
            concurrency.Enter();
            allStarted.Signal();
            Assert.True(allStarted.Wait(TimeSpan.FromSeconds(10)), "Not every blocking item was running at once.");
            concurrency.Exit();
            return new ValueTask<int>(item);
        }, Engine.Options(degree: -1, runOnThreadPool: true)).OrTimeout();

        Assert.Equal(Count, concurrency.Max);
    }

    [Fact]
    public async Task Unbounded_degree_does_not_nest_one_worker_per_item_on_the_stack()
    {
        // With no limit, a new worker joins when all are busy. Starting it inline, before the current item's body runs,
        // nests one worker inside another for every item: 10,000 items overflow the stack and kill the process.
        // 1,000 items are safe to run here; the depth at which bodies start must not grow with the item index.
        var depths = new int[1000];

        await Engine.Run(SourceKind.List, Enumerable.Range(0, depths.Length).ToArray(), (item, _, _) =>
        {
            depths[item] = new StackTrace().FrameCount;
            return Yielded(item);
        }, Engine.Options(degree: -1)).OrTimeout();

        var spread = depths.Max() - depths.Min();
        Assert.True(spread < 200, $"Bodies started between {depths.Min()} and {depths.Max()} frames deep: workers are nested on the stack, one per item.");

        static async ValueTask<int> Yielded(int item)
        {
            await Task.Yield();
            return item;
        }
    }

    [Fact]
    public async Task Synchronous_bodies_run_on_the_thread_pool_and_really_overlap()
    {
        const int Degree = 4;
        var concurrency = new Concurrency();
        var threads = new ConcurrentDictionary<int, bool>();
        var caller = -1;
        using var fourRunning = new CountdownEvent(Degree);

        // Called from a dedicated (non-pool) thread, so that "the caller's thread" is unambiguous.
        var run = Task.Factory.StartNew(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            return Engine.Run(SourceKind.Array, Enumerable.Range(0, 12).ToArray(), (item, _, _) =>
            {
                concurrency.Enter();
                threads[Environment.CurrentManagedThreadId] = Thread.CurrentThread.IsThreadPoolThread;
                if (!fourRunning.IsSet)
                {
                    fourRunning.Signal();
                }

                fourRunning.Wait(TimeSpan.FromSeconds(10)); // blocks until four items run at once
                Thread.Sleep(20);
                concurrency.Exit();
                return new ValueTask<int>(item);
            }, Engine.Options(Degree, runOnThreadPool: true)).AsTask();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

        var results = await run.OrTimeout();

        Assert.Equal(Enumerable.Range(0, 12), results);
        Assert.Equal(Degree, concurrency.Max);
        Assert.True(fourRunning.IsSet, "Four blocking items never ran at the same time.");
        Assert.DoesNotContain(caller, threads.Keys);
        Assert.All(threads.Values, onPool => Assert.True(onPool, "A synchronous body ran off the thread pool."));
    }

    [Theory]
    [MemberData(nameof(Engine.AllKinds), MemberType = typeof(Engine))]
    public async Task ContinueOnError_gives_an_outcome_per_item_in_source_order(SourceKind kind)
    {
        var thrown = new ConcurrentDictionary<int, Exception>();
        var items = Enumerable.Range(0, 30).ToArray();

        var outcomes = await Engine.RunWithOutcomes(kind, items, async (item, _, _) =>
        {
            await Task.Delay(item % 4);
            if (item % 3 == 1)
            {
                var exception = new ItemFailedException(item);
                thrown[item] = exception;
                throw exception;
            }

            return item * 10;
        }, Engine.Options(degree: 4, continueOnError: true)).OrTimeout();

        Assert.Equal(items.Length, outcomes.Count);
        for (var i = 0; i < items.Length; i++)
        {
            if (i % 3 == 1)
            {
                Assert.False(outcomes[i].IsSuccess, $"Item {i} failed but its outcome is a success.");
                Assert.Same(thrown[i], outcomes[i].Exception);
                Assert.Same(thrown[i], Assert.Throws<ItemFailedException>(() => outcomes[i].Value));
            }
            else
            {
                Assert.True(outcomes[i].IsSuccess, $"Item {i}: {outcomes[i]}");
                Assert.Equal(i * 10, outcomes[i].Value);
            }
        }
    }

    [Fact]
    public async Task ContinueOnError_with_a_blocking_body_on_the_thread_pool()
    {
        var outcomes = await Engine.RunWithOutcomes(SourceKind.List, Enumerable.Range(0, 10).ToArray(), (item, _, _) =>
        {
            Thread.Sleep(1);
            return item == 4 ? throw new ItemFailedException(item) : new ValueTask<int>(item);
        }, Engine.Options(degree: 3, runOnThreadPool: true, continueOnError: true)).OrTimeout();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i != 4), outcomes.Select(o => o.IsSuccess));
        Assert.Equal(4, Assert.IsType<ItemFailedException>(outcomes[4].Exception).Index);
    }

    [Fact]
    public async Task ContinueOnError_without_a_result_gives_outcomes_too()
    {
        var outcomes = await Engine.RunWithOutcomes<NoResult>(SourceKind.Lazy, Enumerable.Range(0, 5).ToArray(), (item, _, _) =>
            item == 2 ? throw new ItemFailedException(item) : default(ValueTask<NoResult>),
            Engine.Options(degree: 2, continueOnError: true)).OrTimeout();

        Assert.Equal(new[] { true, true, false, true, true }, outcomes.Select(o => o.IsSuccess));
    }

    [Theory]
    [InlineData(SourceKind.List)]
    [InlineData(SourceKind.Lazy)]
    [InlineData(SourceKind.Stream)]
    public async Task MinSuccessRate_met_gives_the_outcomes(SourceKind kind)
    {
        // 10 items, 3 fail: 70 % succeed, exactly the minimum.
        var outcomes = await Engine.RunWithOutcomes(kind, Enumerable.Range(0, 10).ToArray(), (item, _, _) =>
            item is 1 or 5 or 8 ? throw new ItemFailedException(item) : new ValueTask<int>(item),
            Engine.Options(degree: 3, continueOnError: true, minSuccessRate: 0.7)).OrTimeout();

        Assert.Equal(7, outcomes.Count(o => o.IsSuccess));
    }

    [Theory]
    [InlineData(SourceKind.List)]
    [InlineData(SourceKind.Lazy)]
    [InlineData(SourceKind.Stream)]
    public async Task MinSuccessRate_missed_throws_an_AggregateException_of_every_failure_in_source_order(SourceKind kind)
    {
        var exception = await Assert.ThrowsAsync<AggregateException>(() => Engine.RunWithOutcomes(kind, Enumerable.Range(0, 10).ToArray(), async (item, _, _) =>
        {
            // Later items fail first, so that the order of the list is the source's, not the completion order.
            await Task.Delay(item is 9 ? 0 : 20);
            return item is 0 or 3 or 6 or 9 ? throw new ItemFailedException(item) : item;
        }, Engine.Options(degree: 10, continueOnError: true, minSuccessRate: 0.7)).OrTimeout());

        Assert.Equal(new[] { 0, 3, 6, 9 }, exception.InnerExceptions.Select(e => Assert.IsType<ItemFailedException>(e).Index));
        Assert.Contains("TestStep", exception.Message);
    }

    [Theory]
    [InlineData(SourceKind.List, false)]
    [InlineData(SourceKind.Lazy, false)]
    [InlineData(SourceKind.Stream, false)]
    [InlineData(SourceKind.Array, true)]
    [InlineData(SourceKind.Lazy, true)]
    public async Task Batches_start_only_after_the_previous_batch_completed_plus_the_delay(SourceKind kind, bool onThreadPool)
    {
        const int BatchSize = 3;
        const int Delay = 150;
        var timeline = new Timeline();
        var concurrency = new Concurrency();
        var items = Enumerable.Range(0, 10).ToArray();

        var results = await Engine.Run(kind, items, (item, _, ct) =>
        {
            timeline.Start(item);
            concurrency.Enter();
            var duration = 10 + (item % 3) * 15;
            if (onThreadPool)
            {
                Thread.Sleep(duration);
                concurrency.Exit();
                timeline.End(item);
                return new ValueTask<int>(item);
            }

            return Delayed();

            async ValueTask<int> Delayed()
            {
                await Task.Delay(duration, ct);
                concurrency.Exit();
                timeline.End(item);
                return item;
            }
        }, Engine.Options(degree: 8, runOnThreadPool: onThreadPool, batchSize: BatchSize, delayBetweenBatchesMilliseconds: Delay)).OrTimeout();

        Assert.Equal(items, results);
        Assert.True(concurrency.Max <= BatchSize, $"{concurrency.Max} items of batches of {BatchSize} ran at once.");

        var starts = timeline.Starts.ToDictionary(s => s.Index, s => s.Start);
        var ends = timeline.Ends.ToDictionary(e => e.Index, e => e.End);
        Assert.Equal(items.Length, starts.Count);
        for (var batch = 1; batch * BatchSize < items.Length; batch++)
        {
            var previous = items.Skip((batch - 1) * BatchSize).Take(BatchSize).ToArray();
            var current = items.Skip(batch * BatchSize).Take(BatchSize).ToArray();
            var previousEnd = previous.Max(i => ends[i]);
            var currentStart = current.Min(i => starts[i]);
            var gap = Timeline.Milliseconds(previousEnd, currentStart);

            // The delay is measured by a timer, which may fire a few milliseconds early against the stopwatch.
            Assert.True(gap >= Delay - 15, $"Batch {batch} started {gap:0.0} ms after batch {batch - 1} ended; the delay is {Delay} ms.");
            Assert.All(previous, i => Assert.True(ends[i] <= currentStart, $"Item {i} of batch {batch - 1} ended after batch {batch} started."));
        }
    }

    [Fact]
    public async Task Batches_without_a_delay_still_wait_for_the_previous_batch()
    {
        var timeline = new Timeline();
        var items = Enumerable.Range(0, 9).ToArray();

        await Engine.Run(SourceKind.List, items, async (item, _, _) =>
        {
            timeline.Start(item);
            await Task.Delay(item % 3 == 0 ? 40 : 1);
            timeline.End(item);
            return item;
        }, Engine.Options(degree: 8, batchSize: 3)).OrTimeout();

        var starts = timeline.Starts.ToDictionary(s => s.Index, s => s.Start);
        var ends = timeline.Ends.ToDictionary(e => e.Index, e => e.End);
        for (var batch = 1; batch < 3; batch++)
        {
            var previousEnd = Enumerable.Range((batch - 1) * 3, 3).Max(i => ends[i]);
            Assert.All(Enumerable.Range(batch * 3, 3), i => Assert.True(starts[i] >= previousEnd, $"Item {i} started before batch {batch - 1} ended."));
        }
    }

    [Theory]
    [InlineData(SourceKind.List, false)]
    [InlineData(SourceKind.Lazy, false)]
    [InlineData(SourceKind.Stream, false)]
    [InlineData(SourceKind.Array, true)]
    public async Task MaxItemsPerSecond_paces_starts_exactly(SourceKind kind, bool onThreadPool)
    {
        const double Rate = 20; // one start every 50 ms
        const int Count = 30;
        var timeline = new Timeline();
        var callStart = Stopwatch.GetTimestamp();

        await Engine.Run(kind, Enumerable.Range(0, Count).ToArray(), (item, _, _) =>
        {
            timeline.Start(item);
            return new ValueTask<int>(item);
        }, Engine.Options(degree: 8, runOnThreadPool: onThreadPool, maxItemsPerSecond: Rate)).OrTimeout();

        var starts = timeline.Starts.Select(s => s.Start).Order().ToArray();
        Assert.Equal(Count, starts.Length);
        AssertPaced(starts, callStart, Rate);

        // Late side, generously: 29 intervals are 1.45 s.
        var total = Timeline.Milliseconds(callStart, starts[^1]);
        Assert.True(total < 1450 + 2000, $"Pacing 30 items at 20 per second took {total:0} ms.");
    }

    [Fact]
    public async Task MaxItemsPerSecond_a_stall_does_not_turn_into_a_burst()
    {
        // Three slow items hold every worker for 1.2 s. Items behind them must still start no faster than the rate
        // allows: a start schedule fixed at k / rate lets every overdue item start at once when the stall ends.
        const double Rate = 10;
        var timeline = new Timeline();
        var callStart = Stopwatch.GetTimestamp();

        await Engine.Run(SourceKind.List, Enumerable.Range(0, 30).ToArray(), async (item, _, _) =>
        {
            timeline.Start(item);
            await Task.Delay(item < 3 ? 1200 : 1);
            return item;
        }, Engine.Options(degree: 3, maxItemsPerSecond: Rate)).OrTimeout();

        AssertPaced(timeline.Starts.Select(s => s.Start).Order().ToArray(), callStart, Rate);
    }

    [Fact]
    public async Task MaxItemsPerSecond_a_stream_that_starts_late_does_not_burst()
    {
        // The stream's first item arrives 600 ms in, then the rest at once. At 10 per second they must still start
        // 100 ms apart: a start schedule fixed at k / rate from the loop's start lets the first six start together.
        const double Rate = 10;
        var timeline = new Timeline();
        var callStart = Stopwatch.GetTimestamp();

        async IAsyncEnumerable<int> LateStream()
        {
            await Task.Delay(600);
            for (var i = 0; i < 12; i++)
            {
                yield return i;
            }
        }

        await ForEach.OverStreamAsync<int, int, Body<int, int>>(LateStream(), new Body<int, int>((item, _, _) =>
        {
            timeline.Start(item);
            return new ValueTask<int>(item);
        }), Engine.Options(degree: 4, maxItemsPerSecond: Rate), null, default).OrTimeout();

        AssertPaced(timeline.Starts.Select(s => s.Start).Order().ToArray(), callStart, Rate);
    }

    private static void AssertPaced(long[] starts, long callStart, double rate)
    {
        var interval = 1000 / rate;
        for (var k = 0; k < starts.Length; k++)
        {
            // The k-th start (in time) is never earlier than k intervals after the loop began.
            var sinceCall = Timeline.Milliseconds(callStart, starts[k]);
            Assert.True(sinceCall >= k * interval, $"Start #{k} came {sinceCall:0.0} ms after the call; the rate allows it from {k * interval:0} ms.");

            // ... nor earlier than k intervals after the first start (a few ms for the first item's own start).
            var sinceFirst = Timeline.Milliseconds(starts[0], starts[k]);
            Assert.True(sinceFirst >= k * interval - 5, $"Start #{k} came {sinceFirst:0.0} ms after the first; the rate allows it from {k * interval:0} ms.");
        }

        // No window of one second holds more than rate + 1 starts.
        for (var i = 0; i < starts.Length; i++)
        {
            var inWindow = starts.Skip(i).TakeWhile(s => Timeline.Milliseconds(starts[i], s) < 1000).Count();
            Assert.True(inWindow <= rate + 1, $"{inWindow} items started within one second from start #{i}; the rate is {rate} per second.");
        }
    }

    [Theory]
    [MemberData(nameof(Engine.AllKinds), MemberType = typeof(Engine))]
    public async Task StepContext_carries_the_index_the_count_and_the_names(SourceKind kind)
    {
        var contexts = new ConcurrentQueue<(int Item, StepContext Context)>();
        var items = Enumerable.Range(100, 25).ToArray();

        await Engine.Run(kind, items, async (item, context, _) =>
        {
            contexts.Enqueue((item, context));
            await Task.Yield();
            return item;
        }, Engine.Options(degree: 4)).OrTimeout();

        Assert.Equal(items.Length, contexts.Count);
        Assert.Equal(Enumerable.Range(0, items.Length), contexts.Select(c => c.Context.Index).Order());
        Assert.All(contexts, c =>
        {
            Assert.Equal(c.Item - 100, c.Context.Index);
            Assert.Equal(Engine.ExpectedCount(kind, items.Length), c.Context.Count);
            Assert.Equal("TestWorkflow", c.Context.Workflow);
            Assert.Equal("TestStep", c.Context.Step);
            Assert.Equal(1, c.Context.Attempt);
        });
    }

    [Fact]
    public async Task StepContext_count_is_known_for_a_sequence_that_is_a_collection()
    {
        var counts = new ConcurrentBag<int>();
        var source = new HashSet<int>(Enumerable.Range(0, 7));

        await ForEach.OverEnumerableAsync<int, int, Body<int, int>>(source, new Body<int, int>((item, context, _) =>
        {
            counts.Add(context.Count);
            return new ValueTask<int>(item);
        }), Engine.Options(degree: 2, runOnThreadPool: true), null, default).OrTimeout();

        Assert.Equal(Enumerable.Repeat(7, 7), counts);
    }
}
