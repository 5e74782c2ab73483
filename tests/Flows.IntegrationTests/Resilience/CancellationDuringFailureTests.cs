namespace Flows.IntegrationTests.ResilienceSteps;

/// <summary>
/// DESIGN.md: cancellation by the caller's token ends the run with <see cref="OperationCanceledException"/>, also when it
/// arrives during a retry delay or while a failure is being handled. The bodies here cancel the caller's source
/// themselves just before they fail, which makes the "while a failure is being handled" race happen every time.
/// </summary>
public sealed class CancellationDuringFailureTests
{
    public CancellationDuringFailureTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task Cancelling_during_a_retry_delay_ends_the_run_with_OperationCanceledException_and_no_further_attempt()
    {
        var attempts = new AttemptLog();
        using var caller = new CancellationTokenSource();
        var workflow = new FailsThenWaitsLong(attempts);
        var stopwatch = Stopwatch.StartNew();

        var run = workflow.RunAsync(caller.Token).AsTask();
        await workflow.FirstAttemptFailed.Task.OrTimeout();
        await Task.Delay(50);
        caller.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(8), $"The run waited out its 10 s delay: {stopwatch.Elapsed}.");
        await Task.Delay(Limits.Quiet);
        Assert.Equal(1, attempts.CountOf(nameof(FailsThenWaitsLong.Flaky)));
    }

    [Fact]
    public async Task A_retried_step_that_fails_as_the_caller_cancels_ends_the_run_with_OperationCanceledException_not_its_exception()
    {
        var attempts = new AttemptLog();
        using var caller = new CancellationTokenSource();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new CancelsThenFails(caller, attempts).RunAsync(caller.Token).OrTimeout());

        Assert.IsType<InvalidOperationException>(exception.InnerException);
        Assert.Equal(1, attempts.CountOf(nameof(CancelsThenFails.Failing)));
    }

    [Fact]
    public async Task A_timed_step_that_fails_as_the_caller_cancels_ends_the_run_with_OperationCanceledException()
    {
        using var caller = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TimedCancelsThenFails(caller).RunAsync(caller.Token).OrTimeout());
    }

    [Fact]
    public async Task A_retried_synchronous_group_member_that_fails_as_the_caller_cancels_ends_the_run_with_OperationCanceledException()
    {
        using var caller = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new GroupMemberCancelsThenFails(caller).RunAsync(caller.Token).OrTimeout());
    }

    [Theory]
    [InlineData(FailurePolicy.FailFast)]
    [InlineData(FailurePolicy.WaitAll)]
    [InlineData(FailurePolicy.FirstSuccess)]
    [InlineData(FailurePolicy.ContinueOnError)]
    public async Task A_group_member_that_fails_as_the_caller_cancels_ends_the_run_with_OperationCanceledException(FailurePolicy policy)
    {
        using var caller = new CancellationTokenSource();
        Func<Task> run = policy switch
        {
            FailurePolicy.FailFast => () => new FailFastMemberCancels(caller).RunAsync(caller.Token).OrTimeout(),
            FailurePolicy.WaitAll => () => new WaitAllMemberCancels(caller).RunAsync(caller.Token).OrTimeout(),
            FailurePolicy.FirstSuccess => () => new FirstSuccessMemberCancels(caller).RunAsync(caller.Token).OrTimeout(),
            _ => () => new TolerantMemberCancels(caller).RunAsync(caller.Token).OrTimeout(),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(run);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_foreach_item_that_fails_as_the_caller_cancels_ends_the_run_with_OperationCanceledException(bool synchronous)
    {
        using var caller = new CancellationTokenSource();
        Func<Task> run = synchronous
            ? () => new SynchronousItemCancels(caller).RunAsync(Enumerable.Range(0, 8).ToArray(), caller.Token).OrTimeout()
            : () => new ItemCancels(caller).RunAsync(Enumerable.Range(0, 8).ToArray(), caller.Token).OrTimeout();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(run);
    }
}

[Workflow]
public partial class FailsThenWaitsLong(AttemptLog attempts)
{
    public TaskCompletionSource FirstAttemptFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step, Retry(3, DelayMilliseconds = 10_000)]
    public int Flaky(StepContext context)
    {
        attempts.Record(context);
        FirstAttemptFailed.TrySetResult();
        throw new InvalidOperationException("flaky");
    }
}

[Workflow]
public partial class CancelsThenFails(CancellationTokenSource caller, AttemptLog attempts)
{
    [Step, Retry(3)]
    public async Task<int> Failing(StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        await Task.Yield();
        caller.Cancel();
        throw new InvalidOperationException("failed as the caller cancelled");
    }
}

[Workflow]
public partial class TimedCancelsThenFails(CancellationTokenSource caller)
{
    [Step, Timeout(5_000)]
    public int Failing(CancellationToken ct)
    {
        caller.Cancel();
        throw new InvalidOperationException("failed as the caller cancelled");
    }
}

[Workflow]
public partial class GroupMemberCancelsThenFails(CancellationTokenSource caller)
{
    [Parallel("g"), Retry(2), Timeout(5_000)]
    public int Failing(CancellationToken ct)
    {
        caller.Cancel();
        throw new InvalidOperationException("failed as the caller cancelled");
    }

    [Parallel("g")]
    public int Other() => 2;
}

[Workflow]
public partial class FailFastMemberCancels(CancellationTokenSource caller)
{
    [Parallel("g")]
    public async Task<int> Failing()
    {
        await Task.Yield();
        caller.Cancel();
        throw new InvalidOperationException("failed as the caller cancelled");
    }

    [Parallel("g")]
    public async Task<int> Other()
    {
        await Task.Delay(20, CancellationToken.None);
        return 2;
    }
}

[Workflow]
public partial class WaitAllMemberCancels(CancellationTokenSource caller)
{
    [Parallel("g", Failure = FailurePolicy.WaitAll)]
    public async Task<int> Failing()
    {
        await Task.Yield();
        caller.Cancel();
        throw new InvalidOperationException("failed as the caller cancelled");
    }

    [Parallel("g")]
    public int Other() => 2;
}

[Workflow]
public partial class FirstSuccessMemberCancels(CancellationTokenSource caller)
{
    [Parallel("g", Failure = FailurePolicy.FirstSuccess)]
    public async Task<int> Failing()
    {
        await Task.Yield();
        caller.Cancel();
        throw new InvalidOperationException("failed as the caller cancelled");
    }

    [Parallel("g")]
    public Task<int> AlsoFailing() => Task.FromException<int>(new InvalidOperationException("also"));
}

[Workflow]
public partial class TolerantMemberCancels(CancellationTokenSource caller)
{
    [Parallel("g", Failure = FailurePolicy.ContinueOnError)]
    public async Task<int> Failing()
    {
        await Task.Yield();
        caller.Cancel();
        throw new InvalidOperationException("failed as the caller cancelled");
    }

    [Parallel("g")]
    public int Other() => 2;

    [Step]
    public int Sum(Outcome<int> failing, Outcome<int> other) => other.Value;
}

[Workflow]
public partial class ItemCancels(CancellationTokenSource caller)
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 2)]
    public async Task<int> Process(int item)
    {
        await Task.Yield();
        if (item == 3)
        {
            caller.Cancel();
            throw new InvalidOperationException("failed as the caller cancelled");
        }

        return item;
    }
}

[Workflow]
public partial class SynchronousItemCancels(CancellationTokenSource caller)
{
    [ParallelForEach("items", MaxDegreeOfParallelism = 2)]
    public int Process(int item)
    {
        if (item == 3)
        {
            caller.Cancel();
            throw new InvalidOperationException("failed as the caller cancelled");
        }

        return item;
    }
}
