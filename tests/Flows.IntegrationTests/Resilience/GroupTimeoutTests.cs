namespace Flows.IntegrationTests.ResilienceSteps;

public sealed class GroupTimeoutTests
{
    public GroupTimeoutTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task A_FailFast_group_past_its_timeout_fails_with_TimeoutException_after_its_members_observed_cancellation_and_stopped()
    {
        var log = new EventLog();
        var stopwatch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(() => new SlowFailFastGroup(log).RunAsync().OrTimeout());
        var eventsWhenThrown = log.Events;

        Assert.IsNotType<StepTimeoutException>(exception);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(190), $"Timed out after {stopwatch.Elapsed}, before the 200 ms limit.");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"Timed out after {stopwatch.Elapsed}.");
        Assert.Contains("cancelled A", eventsWhenThrown);
        Assert.Contains("stopped A", eventsWhenThrown);
        Assert.Contains("cancelled B", eventsWhenThrown);
        Assert.Contains("stopped B", eventsWhenThrown);
        Assert.Contains("end Quick", eventsWhenThrown);
        Assert.DoesNotContain("start After", eventsWhenThrown);
        await Task.Delay(Limits.Quiet);
        Assert.False(log.Started("After"));
    }

    [Fact]
    public async Task A_FailFast_group_where_a_single_member_times_out_fails_with_TimeoutException()
    {
        var log = new EventLog();

        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(() => new OneSlowMemberGroup(log).RunAsync().OrTimeout());

        Assert.IsNotType<StepTimeoutException>(exception);
        Assert.Contains("cancelled Slow", log.Events);
        Assert.False(log.Started("After"));
    }

    [Fact]
    public async Task A_WaitAll_group_past_its_timeout_fails_with_TimeoutException()
    {
        var log = new EventLog();

        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(() => new SlowWaitAllGroup(log).RunAsync().OrTimeout());

        Assert.IsNotType<StepTimeoutException>(exception);
        Assert.Contains("cancelled A", log.Events);
        Assert.Contains("end Quick", log.Events);
        Assert.False(log.Started("After"));
    }

    [Fact]
    public async Task Under_ContinueOnError_a_timed_out_member_gives_an_Outcome_holding_a_TimeoutException_and_the_run_continues()
    {
        var log = new EventLog();

        var (slow, quick) = await new SlowTolerantGroup(log).RunAsync().OrTimeout();

        Assert.False(slow.IsSuccess);
        Assert.IsAssignableFrom<TimeoutException>(slow.Exception);
        Assert.Throws<TimeoutException>(() => slow.Value);
        Assert.True(quick.IsSuccess);
        Assert.Equal(2, quick.Value);
        Assert.Contains("cancelled Slow", log.Events);
    }

    [Fact]
    public async Task Under_ContinueOnError_timed_out_members_count_as_failures_for_MinSuccessCount()
    {
        var exception = await Assert.ThrowsAsync<AggregateException>(() => new SlowGroupNeedingTwo().RunAsync().OrTimeout());

        var failure = Assert.Single(exception.InnerExceptions);
        Assert.IsAssignableFrom<TimeoutException>(failure);
    }

    [Fact]
    public async Task A_group_that_finishes_within_its_timeout_succeeds_and_its_timer_does_not_cancel_later_steps()
    {
        var log = new EventLog();

        var result = await new QuickTimedGroup(log).RunAsync().OrTimeout();

        Assert.Equal(1 + 2 + 100, result);
        Assert.DoesNotContain("cancelled Later", log.Events);
    }

    [Fact]
    public async Task Cancelling_the_run_during_a_timed_group_is_an_OperationCanceledException_not_a_timeout()
    {
        var log = new EventLog();
        var workflow = new LongTimedGroup(log);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.Started.Task.OrTimeout();
        cts.Cancel();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.NotNull(exception);
        Assert.Contains("cancelled A", log.Events);
    }
}

internal static class Members
{
    /// <summary>Waits for cancellation, logs it, takes a while to stop, and rethrows.</summary>
    public static async Task<int> WaitForCancellation(EventLog log, string name, CancellationToken ct, Action? started = null)
    {
        started?.Invoke();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + name);
            await Task.Delay(50, CancellationToken.None);
            log.Add("stopped " + name);
            throw;
        }

        return 0;
    }
}

[Workflow]
public partial class SlowFailFastGroup(EventLog log)
{
    [Parallel("g", TimeoutMilliseconds = 200)]
    public Task<int> A(CancellationToken ct) => Members.WaitForCancellation(log, nameof(A), ct);

    [Parallel("g")]
    public Task<int> B(CancellationToken ct) => Members.WaitForCancellation(log, nameof(B), ct);

    [Parallel("g")]
    public async Task<int> Quick()
    {
        await Task.Delay(10);
        log.End(nameof(Quick));
        return 3;
    }

    [Step]
    public void After(int a, int b, int quick) => log.Start(nameof(After));
}

[Workflow]
public partial class OneSlowMemberGroup(EventLog log)
{
    [Parallel("g", TimeoutMilliseconds = 150)]
    public Task<int> Slow(CancellationToken ct) => Members.WaitForCancellation(log, nameof(Slow), ct);

    [Parallel("g")]
    public int Quick() => 1;

    [Step]
    public void After(int slow, int quick) => log.Start(nameof(After));
}

[Workflow]
public partial class SlowWaitAllGroup(EventLog log)
{
    [Parallel("g", Failure = FailurePolicy.WaitAll, TimeoutMilliseconds = 150)]
    public Task<int> A(CancellationToken ct) => Members.WaitForCancellation(log, nameof(A), ct);

    [Parallel("g")]
    public async Task<int> Quick()
    {
        await Task.Delay(10);
        log.End(nameof(Quick));
        return 2;
    }

    [Step]
    public void After(int a, int quick) => log.Start(nameof(After));
}

[Workflow]
public partial class SlowTolerantGroup(EventLog log)
{
    [Parallel("g", Failure = FailurePolicy.ContinueOnError, TimeoutMilliseconds = 150)]
    public Task<int> Slow(CancellationToken ct) => Members.WaitForCancellation(log, nameof(Slow), ct);

    [Parallel("g")]
    public async Task<int> Quick()
    {
        await Task.Delay(10);
        return 2;
    }

    [Step]
    public (Outcome<int> Slow, Outcome<int> Quick) Both(Outcome<int> slow, Outcome<int> quick) => (slow, quick);
}

[Workflow]
public partial class SlowGroupNeedingTwo
{
    [Parallel("g", Failure = FailurePolicy.ContinueOnError, MinSuccessCount = 2, TimeoutMilliseconds = 150)]
    public async Task<int> Slow(CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        return 1;
    }

    [Parallel("g")]
    public int Quick() => 2;

    [Step]
    public int Sum(Outcome<int> slow, Outcome<int> quick) => quick.Value;
}

[Workflow]
public partial class QuickTimedGroup(EventLog log)
{
    [Parallel("g", TimeoutMilliseconds = 150)]
    public async Task<int> A(CancellationToken ct)
    {
        await Task.Delay(5, ct);
        return 1;
    }

    [Parallel("g")]
    public async Task<int> B(CancellationToken ct)
    {
        await Task.Delay(5, ct);
        return 2;
    }

    // Runs well past the group's limit: the group's timer must not reach it.
    [Step]
    public async Task<int> Later(int a, int b, CancellationToken ct)
    {
        try
        {
            await Task.Delay(400, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Later));
            throw;
        }

        return a + b + 100;
    }
}

[Workflow]
public partial class LongTimedGroup(EventLog log)
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Parallel("g", TimeoutMilliseconds = 10_000)]
    public Task<int> A(CancellationToken ct) => Members.WaitForCancellation(log, nameof(A), ct, () => Started.TrySetResult());

    [Parallel("g")]
    public async Task<int> B()
    {
        await Task.Delay(5);
        return 2;
    }
}
