namespace Flows.IntegrationTests;

/// <summary>"No exception is ever left unobserved": failed member tasks must all be looked at by the run.</summary>
public sealed class UnobservedExceptionTests
{
    [Fact]
    public async Task A_fail_fast_group_with_several_failures_leaves_none_unobserved()
    {
        var marker = Guid.NewGuid().ToString();

        var unobserved = await UnobservedDuring(marker, async () =>
        {
            await Assert.ThrowsAnyAsync<Exception>(() => new ManyFailures(marker).RunAsync().OrTimeout());
        });

        Assert.Empty(unobserved);
    }

    [Fact]
    public async Task A_wait_all_group_with_several_failures_leaves_none_unobserved()
    {
        var marker = Guid.NewGuid().ToString();

        var unobserved = await UnobservedDuring(marker, async () =>
        {
            var exception = await Assert.ThrowsAsync<AggregateException>(() => new ManyFailuresWaitAll(marker).RunAsync().OrTimeout());
            Assert.Equal(3, exception.InnerExceptions.Count);
        });

        Assert.Empty(unobserved);
    }

    [Fact]
    public async Task A_cancelled_group_whose_members_fail_leaves_none_unobserved()
    {
        var marker = Guid.NewGuid().ToString();
        using var cts = new CancellationTokenSource();

        var unobserved = await UnobservedDuring(marker, async () =>
        {
            var workflow = new FailsWhenCancelled(marker);
            var run = workflow.RunAsync(cts.Token).AsTask();
            await workflow.Started.Task.OrTimeout();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<Exception>(() => run.OrTimeout());
        });

        Assert.Empty(unobserved);
    }

    private static async Task<List<Exception>> UnobservedDuring(string marker, Func<Task> scenario)
    {
        var unobserved = new List<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> handler = (_, e) =>
        {
            var ours = e.Exception.Flatten().InnerExceptions.Where(inner => inner.Message.Contains(marker, StringComparison.Ordinal)).ToArray();
            lock (unobserved)
            {
                unobserved.AddRange(ours);
            }
        };

        TaskScheduler.UnobservedTaskException += handler;
        try
        {
            await RunAndForget(scenario);

            // Let members that were still running when the run ended (there should be none) finish and be collected.
            await Task.Delay(300);
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= handler;
        }

        lock (unobserved)
        {
            return unobserved.ToList();
        }
    }

    // A separate, non-inlined frame, so that no local keeps the run's tasks reachable during the collection.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Task RunAndForget(Func<Task> scenario) => scenario();
}

[Workflow]
public partial class ManyFailures(string marker)
{
    [Parallel("g")]
    public async Task Early()
    {
        await Task.Delay(10);
        throw new InvalidOperationException("early " + marker);
    }

    [Parallel("g")]
    public async Task Late()
    {
        await Task.Delay(60);
        throw new InvalidOperationException("late " + marker);
    }

    [Parallel("g")]
    public ValueTask<int> Immediate() => throw new InvalidOperationException("immediate " + marker);

    [Parallel("g")]
    public async Task Cancelled(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException("after cancellation " + marker);
        }
    }
}

[Workflow]
public partial class ManyFailuresWaitAll(string marker)
{
    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public async Task First()
    {
        await Task.Delay(10);
        throw new InvalidOperationException("first " + marker);
    }

    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public void Synchronous() => throw new InvalidOperationException("synchronous " + marker);

    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public Task Immediate() => throw new InvalidOperationException("immediate " + marker);
}

[Workflow]
public partial class FailsWhenCancelled(string marker)
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public async Task A(CancellationToken ct)
    {
        Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException("A " + marker);
        }
    }

    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public async Task B(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException("B " + marker);
        }
    }
}
