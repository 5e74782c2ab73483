using System.IO;

namespace Flows.IntegrationTests.ResilienceSteps;

public sealed class StepTimeoutTests
{
    public StepTimeoutTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task An_attempt_past_its_limit_fails_with_StepTimeoutException_naming_the_step_and_its_token_is_cancelled()
    {
        var log = new EventLog();
        var stopwatch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new HangingStep(log).RunAsync().OrTimeout());

        Assert.Equal(nameof(HangingStep.Hang), exception.StepName);
        Assert.Equal(TimeSpan.FromMilliseconds(150), exception.Timeout);
        Assert.IsAssignableFrom<TimeoutException>(exception);
        Assert.Contains("cancelled Hang", log.Events);
        Assert.False(log.Started("After"));
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(140), $"Timed out after {stopwatch.Elapsed}, before the 150 ms limit.");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"Timed out after {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task A_step_within_its_limit_is_unaffected_and_its_token_is_not_cancelled_later()
    {
        var log = new EventLog();

        var result = await new QuickTimedStep(log).RunAsync().OrTimeout();

        Assert.Equal(7, result);
        await Task.Delay(Limits.Quiet);
        Assert.DoesNotContain("cancelled Quick", log.Events);
    }

    [Fact]
    public async Task A_synchronous_step_past_its_limit_fails_with_StepTimeoutException()
    {
        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new SynchronousTimedStep().RunAsync().OrTimeout());

        Assert.Equal(nameof(SynchronousTimedStep.Spin), exception.StepName);
    }

    [Fact]
    public async Task A_step_that_ignores_its_token_and_finishes_past_its_limit_still_fails_with_StepTimeoutException()
    {
        var log = new EventLog();

        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new IgnoresItsToken(log).RunAsync().OrTimeout());

        Assert.Equal(nameof(IgnoresItsToken.Stubborn), exception.StepName);
        Assert.False(log.Started("After"));
    }

    [Fact]
    public async Task A_step_that_turns_the_cancellation_into_its_own_exception_still_fails_with_StepTimeoutException()
    {
        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new WrapsCancellation().RunAsync().OrTimeout());

        Assert.Equal(nameof(WrapsCancellation.Wrap), exception.StepName);
        Assert.IsType<InvalidOperationException>(exception.InnerException);
    }

    [Fact]
    public async Task With_Retry_a_timed_out_attempt_is_retried()
    {
        var attempts = new AttemptLog();
        var log = new EventLog();

        var result = await new TimesOutOnce(attempts, log).RunAsync().OrTimeout();

        Assert.Equal("done on 2", result);
        Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf(nameof(TimesOutOnce.Slow)));
        Assert.Equal(new[] { "cancelled attempt 1" }, log.Events);
    }

    [Fact]
    public async Task With_Retry_every_attempt_timing_out_fails_with_StepTimeoutException_after_MaxAttempts()
    {
        var attempts = new AttemptLog();

        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new AlwaysTimesOut(attempts).RunAsync().OrTimeout());

        Assert.Equal(nameof(AlwaysTimesOut.Never), exception.StepName);
        Assert.Equal(new[] { 1, 2, 3 }, attempts.AttemptsOf(nameof(AlwaysTimesOut.Never)));
    }

    [Fact]
    public async Task A_timeout_applies_to_each_foreach_item_and_a_timed_out_item_is_retried_alone()
    {
        var attempts = new AttemptLog();

        var result = await new TimedItems(attempts).RunAsync(new[] { 1, 2, 3 }).OrTimeout();

        Assert.Equal(new[] { 10, 20, 30 }, result);
        Assert.Equal(new[] { 1 }, attempts.AttemptsOf("Scale[0]"));
        Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf("Scale[1]"));
        Assert.Equal(new[] { 1 }, attempts.AttemptsOf("Scale[2]"));
    }

    [Fact]
    public async Task A_foreach_item_past_its_limit_fails_the_run_with_StepTimeoutException_naming_the_step()
    {
        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new TimedItemsWithoutRetry().RunAsync(new[] { 1, 2, 3 }).OrTimeout());

        Assert.Equal(nameof(TimedItemsWithoutRetry.Scale), exception.StepName);
    }

    [Fact]
    public async Task A_timed_out_member_of_a_FailFast_group_fails_the_group_with_StepTimeoutException_and_cancels_its_sibling()
    {
        var log = new EventLog();

        var exception = await Assert.ThrowsAsync<StepTimeoutException>(() => new TimedGroupMember(log).RunAsync().OrTimeout());

        Assert.Equal(nameof(TimedGroupMember.Timed), exception.StepName);
        Assert.Contains("cancelled Sibling", log.Events);
        Assert.Contains("end Sibling", log.Events);
    }

    [Fact]
    public async Task The_runs_cancellation_during_a_timed_attempt_is_an_OperationCanceledException_not_a_timeout()
    {
        var attempts = new AttemptLog();
        var workflow = new TimedAndRetried(attempts);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.Started.Task.OrTimeout();
        cts.Cancel();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.NotNull(exception);
        await Task.Delay(Limits.Quiet);
        Assert.Equal(1, attempts.CountOf(nameof(TimedAndRetried.Wait)));
    }
}

[Workflow]
public partial class HangingStep(EventLog log)
{
    [Step, Timeout(150)]
    public async Task<int> Hang(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Hang));
            throw;
        }

        return 1;
    }

    [Step]
    public void After(int hang) => log.Start(nameof(After));
}

[Workflow]
public partial class QuickTimedStep(EventLog log)
{
    [Step, Timeout(100)]
    public async Task<int> Quick(CancellationToken ct)
    {
        await Task.Yield();
        ct.Register(() => log.Add("cancelled " + nameof(Quick)));
        return 7;
    }
}

[Workflow]
public partial class SynchronousTimedStep
{
    [Step, Timeout(100)]
    public int Spin(CancellationToken ct)
    {
        ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
        ct.ThrowIfCancellationRequested();
        return 1;
    }
}

[Workflow]
public partial class IgnoresItsToken(EventLog log)
{
    [Step, Timeout(100)]
    public async Task<int> Stubborn(CancellationToken ct)
    {
        await Task.Delay(400, CancellationToken.None);
        return 1;
    }

    [Step]
    public void After(int stubborn) => log.Start(nameof(After));
}

[Workflow]
public partial class WrapsCancellation
{
    [Step, Timeout(100)]
    public async Task<int> Wrap(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
            return 1;
        }
        catch (OperationCanceledException exception)
        {
            throw new InvalidOperationException("the client gave up", exception);
        }
    }
}

[Workflow]
public partial class TimesOutOnce(AttemptLog attempts, EventLog log)
{
    [Step, Retry(3), Timeout(150)]
    public async Task<string> Slow(StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        if (context.Attempt == 1)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                log.Add("cancelled attempt 1");
                throw;
            }
        }

        await Task.Delay(10, ct);
        return $"done on {context.Attempt}";
    }
}

[Workflow]
public partial class AlwaysTimesOut(AttemptLog attempts)
{
    [Step, Retry(3), Timeout(80)]
    public async Task<int> Never(StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        await Task.Delay(Timeout.Infinite, ct);
        return 0;
    }
}

[Workflow]
public partial class TimedItems(AttemptLog attempts)
{
    [ParallelForEach("numbers", MaxDegreeOfParallelism = 3), Retry(2), Timeout(150)]
    public async Task<int> Scale(int number, StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        await Task.Delay(number == 2 && context.Attempt == 1 ? Timeout.Infinite : 10, ct);
        return number * 10;
    }
}

[Workflow]
public partial class TimedItemsWithoutRetry
{
    [ParallelForEach("numbers", MaxDegreeOfParallelism = 3), Timeout(150)]
    public async Task<int> Scale(int number, CancellationToken ct)
    {
        await Task.Delay(number == 2 ? Timeout.Infinite : 10, ct);
        return number * 10;
    }
}

[Workflow]
public partial class TimedGroupMember(EventLog log)
{
    [Parallel("g"), Timeout(100)]
    public async Task<int> Timed(CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        return 1;
    }

    [Parallel("g")]
    public async Task<int> Sibling(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            log.Add("cancelled " + nameof(Sibling));
            await Task.Delay(50, CancellationToken.None);
            log.End(nameof(Sibling));
            throw;
        }

        return 2;
    }
}

[Workflow]
public partial class TimedAndRetried(AttemptLog attempts)
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step, Retry(3), Timeout(5_000)]
    public async Task<int> Wait(StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        Started.TrySetResult();
        await Task.Delay(Timeout.Infinite, ct);
        return 0;
    }
}
