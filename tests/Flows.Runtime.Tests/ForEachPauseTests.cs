namespace Flows.Runtime.Tests;

/// <summary><see cref="FlowControl"/>: a paused loop starts no item until resumed; running items finish.</summary>
[Collection(TimingCollection.Name)]
public sealed class ForEachPauseTests
{
    public ForEachPauseTests() => Limits.EnsureThreadPoolThreads();

    [Theory]
    [InlineData(SourceKind.List, false)]
    [InlineData(SourceKind.Lazy, false)]
    [InlineData(SourceKind.Stream, false)]
    [InlineData(SourceKind.Array, true)]
    [InlineData(SourceKind.Lazy, true)]
    public async Task Pausing_from_inside_an_item_holds_every_later_item_until_resumed(SourceKind kind, bool onThreadPool)
    {
        var control = new FlowControl();
        var timeline = new Timeline();
        var ended = new ConcurrentBag<int>();

        var run = Engine.Run(kind, Enumerable.Range(0, 10).ToArray(), (item, _, _) =>
        {
            timeline.Start(item);
            if (item == 3)
            {
                control.Pause();
            }

            ended.Add(item);
            return new ValueTask<int>(item);
        }, Engine.Options(degree: 1, runOnThreadPool: onThreadPool), control).AsTask();

        await Limits.Until(() => ended.Contains(3), "item 3 ended");
        await Task.Delay(Limits.Quiet);

        Assert.False(run.IsCompleted);
        Assert.Equal(new[] { 0, 1, 2, 3 }, timeline.Starts.Select(s => s.Index));

        control.Resume();
        var results = await run.OrTimeout();
        Assert.Equal(Enumerable.Range(0, 10), results);
        Assert.Equal(Enumerable.Range(0, 10), timeline.Starts.Select(s => s.Index));
    }

    [Fact]
    public async Task Pausing_lets_running_items_finish_and_starts_nothing_new_until_resumed()
    {
        const int Degree = 4;
        var control = new FlowControl();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new ConcurrentQueue<int>();
        var ended = new ConcurrentQueue<int>();

        var run = Engine.Run(SourceKind.List, Enumerable.Range(0, 20).ToArray(), async (item, _, _) =>
        {
            started.Enqueue(item);
            await release.Task;
            ended.Enqueue(item);
            return item;
        }, Engine.Options(Degree), control).AsTask();

        await Limits.Until(() => started.Count == Degree, "four items run");
        control.Pause();      // every worker is busy with an item: none is between its pause check and a start
        release.SetResult();

        await Limits.Until(() => ended.Count == Degree, "the running items finished");
        await Task.Delay(Limits.Quiet);
        Assert.Equal(Degree, started.Count);
        Assert.False(run.IsCompleted);

        control.Resume();
        Assert.Equal(Enumerable.Range(0, 20), await run.OrTimeout());
    }

    [Theory]
    [MemberData(nameof(Engine.AllKinds), MemberType = typeof(Engine))]
    public async Task A_loop_paused_before_it_starts_starts_nothing_until_resumed(SourceKind kind)
    {
        var control = new FlowControl();
        control.Pause();
        var started = 0;

        var run = Engine.Run(kind, Enumerable.Range(0, 5).ToArray(), (item, _, _) =>
        {
            Interlocked.Increment(ref started);
            return new ValueTask<int>(item);
        }, Engine.Options(degree: 2), control).AsTask();

        await Task.Delay(Limits.Quiet);
        Assert.Equal(0, Volatile.Read(ref started));
        Assert.False(run.IsCompleted);

        control.Resume();
        Assert.Equal(Enumerable.Range(0, 5), await run.OrTimeout());
    }

    [Fact]
    public async Task An_item_waiting_for_its_start_rate_slot_does_not_start_while_paused()
    {
        // Two per second: item 1 may start 500 ms in. Item 0 pauses the loop at once, so item 1 must wait for Resume,
        // even though its worker had already taken it and was only waiting for its slot.
        var control = new FlowControl();
        var timeline = new Timeline();

        var run = Engine.Run(SourceKind.List, Enumerable.Range(0, 3).ToArray(), async (item, _, _) =>
        {
            timeline.Start(item);
            if (item == 0)
            {
                // By now the other worker has taken item 1 and waits for its slot, 500 ms in.
                await Task.Delay(100);
                control.Pause();
            }

            return item;
        }, Engine.Options(degree: 2, maxItemsPerSecond: 2), control).AsTask();

        await Task.Delay(1200);
        var startedWhilePaused = timeline.Starts.Select(s => s.Index).ToArray();

        control.Resume();
        await run.OrTimeout();
        Assert.Equal(new[] { 0 }, startedWhilePaused);
    }

    [Fact]
    public async Task A_stream_item_arriving_while_paused_does_not_start_until_resumed()
    {
        // The second worker asked the stream for item 1 before the pause; the item arrives while the loop is paused.
        var control = new FlowControl();
        var timeline = new Timeline();

        var run = ForEach.OverStreamAsync<int, int, Body<int, int>>(SlowStream(), new Body<int, int>(async (item, _, _) =>
        {
            timeline.Start(item);
            if (item == 0)
            {
                await Task.Delay(100);
                control.Pause();
            }

            return item;
        }), Engine.Options(degree: 2), control, default).AsTask();

        await Task.Delay(800);
        var startedWhilePaused = timeline.Starts.Select(s => s.Index).ToArray();

        control.Resume();
        Assert.Equal(new[] { 0, 1 }, await run.OrTimeout());
        Assert.Equal(new[] { 0 }, startedWhilePaused);

        static async IAsyncEnumerable<int> SlowStream()
        {
            yield return 0;
            await Task.Delay(300);
            yield return 1;
        }
    }

    [Fact]
    public async Task Cancelling_a_paused_loop_ends_it_with_OperationCanceledException()
    {
        var control = new FlowControl();
        control.Pause();
        using var cts = new CancellationTokenSource();
        var started = 0;

        var run = Engine.Run(SourceKind.List, Enumerable.Range(0, 5).ToArray(), (item, _, _) =>
        {
            Interlocked.Increment(ref started);
            return new ValueTask<int>(item);
        }, Engine.Options(degree: 2), control, cts.Token).AsTask();

        await Task.Delay(50);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.Equal(0, Volatile.Read(ref started));
        control.Resume();
        await Task.Delay(50);
        Assert.Equal(0, Volatile.Read(ref started));
    }
}
