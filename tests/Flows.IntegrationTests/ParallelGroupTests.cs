namespace Flows.IntegrationTests;

[Collection(TimingCollection.Name)]
public sealed class ParallelGroupTests
{
    public ParallelGroupTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task Three_async_members_of_one_group_overlap()
    {
        var log = new EventLog();
        var workflow = new ThreeDelays(log);
        await workflow.RunAsync().OrTimeout(); // warm-up: JIT and timers
        AssertAllStartedBeforeAnyEnded(log.Events.ToArray(), "DelayA", "DelayB", "DelayC");

        var elapsed = await Limits.FastestRun(() => workflow.RunAsync().AsTask());

        Assert.True(elapsed < Limits.OverlapBound, $"Three 100 ms members took {elapsed.TotalMilliseconds:0} ms at best: they did not overlap.");
    }

    [Fact]
    public async Task Three_synchronous_blocking_members_of_one_group_overlap_on_the_thread_pool()
    {
        var workflow = new ThreeSleeps();
        await workflow.RunAsync().OrTimeout(); // warm-up

        // Members that block at the same time need threads of their own.
        Assert.True(workflow.Threads.Count >= 2, $"The three members ran on {workflow.Threads.Count} thread(s).");
        Assert.All(workflow.Threads.Values, onPool => Assert.True(onPool, "A synchronous group member did not run on a thread-pool thread."));
        Assert.True(workflow.MaxConcurrent >= 2, $"At most {workflow.MaxConcurrent} synchronous member(s) ran at once.");

        var elapsed = await Limits.FastestRun(() => workflow.RunAsync().AsTask());

        Assert.True(elapsed < Limits.OverlapBound, $"Three 100 ms synchronous members took {elapsed.TotalMilliseconds:0} ms at best: they ran one after another.");
    }

    [Fact]
    public async Task Synchronous_members_do_not_run_on_the_thread_that_called_RunAsync()
    {
        var workflow = new ThreeSleeps();
        var caller = -1;

        // Run on a dedicated (non-pool) thread so that "the caller's thread" is unambiguous.
        var run = RunOnDedicatedThread(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            return workflow.RunAsync().AsTask();
        });
        await run.OrTimeout();

        Assert.NotEmpty(workflow.Threads);
        Assert.DoesNotContain(caller, workflow.Threads.Keys);
        Assert.All(workflow.Threads.Values, onPool => Assert.True(onPool));
    }

    [Fact]
    public async Task Synchronous_members_returning_values_overlap_and_give_their_values()
    {
        var workflow = new ThreeSleepingValues();
        var (one, two, three) = await workflow.RunAsync().OrTimeout();

        Assert.Equal((1, "two", 3.0), (one, two, three));

        var elapsed = await Limits.FastestRun(() => workflow.RunAsync().AsTask());
        Assert.True(elapsed < Limits.OverlapBound, $"Took {elapsed.TotalMilliseconds:0} ms at best: the members did not overlap.");
    }

    [Fact]
    public async Task Synchronous_and_asynchronous_members_overlap_with_each_other()
    {
        var log = new EventLog();
        var workflow = new MixedGroup(log);
        await workflow.RunAsync().OrTimeout(); // warm-up
        AssertAllStartedBeforeAnyEnded(log.Events.ToArray(), "Sleeping", "Delaying", "Yielding");

        var elapsed = await Limits.FastestRun(() => workflow.RunAsync().AsTask());

        Assert.True(elapsed < Limits.OverlapBound, $"Took {elapsed.TotalMilliseconds:0} ms at best: the members did not overlap.");
    }

    [Fact]
    public async Task A_group_completes_only_when_its_slowest_member_has_completed()
    {
        var log = new EventLog();

        await new SlowestMemberGroup(log).RunAsync().OrTimeout();

        log.AssertBefore("end Slowest", "start After");
        log.AssertBefore("end Quick", "start After");
    }

    [Fact]
    public async Task Members_that_complete_synchronously_give_their_values()
    {
        var result = await new SynchronouslyCompletingGroup().RunAsync(5).OrTimeout();

        Assert.Equal((6, 7, 8, 9), (result.FromTask, result.FromValueTask, result.Plain, result.Suspending));
    }

    private static void AssertAllStartedBeforeAnyEnded(string[] events, params string[] members)
    {
        var lastStart = members.Max(member => Array.IndexOf(events, "start " + member));
        var firstEnd = members.Min(member => Array.IndexOf(events, "end " + member));
        Assert.True(members.All(member => events.Contains("start " + member) && events.Contains("end " + member)), "Not every member ran: " + string.Join(", ", events));
        Assert.True(lastStart < firstEnd, "A member ended before every member had started: " + string.Join(", ", events));
    }

    private static Task RunOnDedicatedThread(Func<Task> run)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                run().ContinueWith(
                    task =>
                    {
                        if (task.Exception is { } exception)
                        {
                            completion.TrySetException(exception.InnerExceptions);
                        }
                        else
                        {
                            completion.TrySetResult();
                        }
                    },
                    TaskScheduler.Default);
            }
            catch (Exception exception)
            {
                completion.TrySetException(exception);
            }
        });
        thread.Start();
        return completion.Task;
    }
}

[Workflow]
public partial class ThreeDelays(EventLog log)
{
    [Parallel("delays")]
    public async Task DelayA(CancellationToken ct)
    {
        log.Start(nameof(DelayA));
        await Task.Delay(100, ct);
        log.End(nameof(DelayA));
    }

    [Parallel("delays")]
    public async Task DelayB(CancellationToken ct)
    {
        log.Start(nameof(DelayB));
        await Task.Delay(100, ct);
        log.End(nameof(DelayB));
    }

    [Parallel("delays")]
    public async Task DelayC(CancellationToken ct)
    {
        log.Start(nameof(DelayC));
        await Task.Delay(100, ct);
        log.End(nameof(DelayC));
    }
}

#pragma warning disable FLOW004 // Thread.Sleep is the point: these steps block their thread, as CPU-bound work would.

[Workflow]
public partial class ThreeSleeps
{
    /// <summary>Thread id → whether it was a pool thread, for each member that ran.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<int, bool> Threads { get; } = new();

    [Parallel("sleeps")]
    public void SleepA() => Sleep();

    [Parallel("sleeps")]
    public void SleepB() => Sleep();

    [Parallel("sleeps")]
    public void SleepC() => Sleep();

    private int _running;
    private int _maxConcurrent;

    /// <summary>The most members seen running at once.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    private void Sleep()
    {
        Threads[Environment.CurrentManagedThreadId] = Thread.CurrentThread.IsThreadPoolThread;
        var running = Interlocked.Increment(ref _running);
        int seen;
        while (running > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, running, seen) != seen)
        {
        }

        Thread.Sleep(100);
        Interlocked.Decrement(ref _running);
    }
}

[Workflow]
public partial class ThreeSleepingValues
{
    [Parallel("values")]
    public int One()
    {
        Thread.Sleep(100);
        return 1;
    }

    [Parallel("values")]
    public string Two()
    {
        Thread.Sleep(100);
        return "two";
    }

    [Parallel("values")]
    public double Three()
    {
        Thread.Sleep(100);
        return 3.0;
    }
}

[Workflow]
public partial class MixedGroup(EventLog log)
{
    [Parallel("mixed")]
    public void Sleeping()
    {
        log.Start(nameof(Sleeping));
        Thread.Sleep(100);
        log.End(nameof(Sleeping));
    }

    [Parallel("mixed")]
    public async Task Delaying()
    {
        log.Start(nameof(Delaying));
        await Task.Delay(100);
        log.End(nameof(Delaying));
    }

    [Parallel("mixed")]
    public async ValueTask Yielding()
    {
        log.Start(nameof(Yielding));
        await Task.Yield();
        Thread.Sleep(100);
        log.End(nameof(Yielding));
    }
}

#pragma warning restore FLOW004

[Workflow]
public partial class SlowestMemberGroup(EventLog log)
{
    [Parallel("g")]
    public async Task Slowest()
    {
        log.Start(nameof(Slowest));
        await Task.Delay(120);
        log.End(nameof(Slowest));
    }

    [Parallel("g")]
    public void Quick()
    {
        log.Start(nameof(Quick));
        log.End(nameof(Quick));
    }

    [Step]
    public void After() => log.Start(nameof(After));
}

[Workflow]
public partial class SynchronouslyCompletingGroup
{
    [Parallel("g")]
    public Task<int> FromTask(int seed) => Task.FromResult(seed + 1);

    [Parallel("g")]
    public ValueTask<int> FromValueTask(int seed) => new(seed + 2);

    [Parallel("g")]
    public int Plain(int seed) => seed + 3;

    [Parallel("g")]
    public async Task<int> Suspending(int seed)
    {
        await Task.Yield();
        return seed + 4;
    }
}
