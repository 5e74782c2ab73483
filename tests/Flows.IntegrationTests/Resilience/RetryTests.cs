using System.IO;
using Flows.Internal;

namespace Flows.IntegrationTests.ResilienceSteps;

public sealed class RetryTests
{
    public RetryTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task A_step_that_fails_twice_succeeds_on_attempt_three_and_sees_attempts_one_two_three()
    {
        var attempts = new AttemptLog();

        var result = await new SucceedsOnThirdAttempt(attempts).RunAsync().OrTimeout();

        Assert.Equal(84, result);
        Assert.Equal(new[] { 1, 2, 3 }, attempts.AttemptsOf(nameof(SucceedsOnThirdAttempt.Flaky)));
    }

    [Fact]
    public async Task A_synchronous_step_is_retried_too()
    {
        var attempts = new AttemptLog();

        var result = await new SynchronousRetry(attempts).RunAsync().OrTimeout();

        Assert.Equal("parsed on 2", result);
        Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf(nameof(SynchronousRetry.Parse)));
    }

    [Fact]
    public async Task A_step_that_always_fails_gives_up_after_MaxAttempts_with_the_last_failure_of_its_own_type()
    {
        var attempts = new AttemptLog();
        var log = new EventLog();

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() => new AlwaysFailing(attempts, log).RunAsync().OrTimeout());

        Assert.Equal("attempt 3", exception.Message);
        Assert.Contains(nameof(AlwaysFailing.Broken), exception.StackTrace);
        Assert.Equal(new[] { 1, 2, 3 }, attempts.AttemptsOf(nameof(AlwaysFailing.Broken)));
        Assert.False(log.Started("After"));

        // No attempt is left running or scheduled once the run has failed.
        await Task.Delay(Limits.Quiet);
        Assert.Equal(3, attempts.CountOf(nameof(AlwaysFailing.Broken)));
    }

    [Fact]
    public async Task RetryOn_retries_the_listed_types_and_types_derived_from_them()
    {
        var attempts = new AttemptLog();
        var workflow = new RetriesOnlyIoErrors(attempts)
        {
            Script = attempt => attempt switch
            {
                1 => new IOException("disk"),
                2 => new FileNotFoundException("missing"),
                3 => new TimeoutException("slow"),
                _ => null,
            },
        };

        var result = await workflow.RunAsync().OrTimeout();

        Assert.Equal("read on 4", result);
        Assert.Equal(new[] { 1, 2, 3, 4 }, attempts.AttemptsOf(nameof(RetriesOnlyIoErrors.Read)));
    }

    [Fact]
    public async Task RetryOn_does_not_retry_a_failure_of_another_type_and_rethrows_it_at_once()
    {
        var attempts = new AttemptLog();
        var workflow = new RetriesOnlyIoErrors(attempts) { Script = _ => new ArgumentException("bad argument") };

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => workflow.RunAsync().OrTimeout());

        Assert.Equal("bad argument", exception.Message);
        Assert.Equal(new[] { 1 }, attempts.AttemptsOf(nameof(RetriesOnlyIoErrors.Read)));
    }

    [Fact]
    public async Task RetryOn_stops_retrying_when_a_later_attempt_fails_with_an_unlisted_type()
    {
        var attempts = new AttemptLog();
        var workflow = new RetriesOnlyIoErrors(attempts)
        {
            Script = attempt => attempt == 1 ? new IOException("disk") : new InvalidOperationException("broken"),
        };

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => workflow.RunAsync().OrTimeout());

        Assert.Equal("broken", exception.Message);
        Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf(nameof(RetriesOnlyIoErrors.Read)));
    }

    [Fact]
    public async Task RetryOn_gives_up_after_MaxAttempts_of_listed_failures()
    {
        var attempts = new AttemptLog();
        var workflow = new RetriesOnlyIoErrors(attempts) { Script = attempt => new IOException($"disk {attempt}") };

        var exception = await Assert.ThrowsAsync<IOException>(() => workflow.RunAsync().OrTimeout());

        Assert.Equal("disk 5", exception.Message);
        Assert.Equal(5, attempts.CountOf(nameof(RetriesOnlyIoErrors.Read)));
    }

    [Fact]
    public async Task A_cancellation_the_step_throws_itself_is_not_retried_by_default()
    {
        var attempts = new AttemptLog();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ThrowsItsOwnCancellation(attempts).RunAsync().OrTimeout());

        Assert.Equal("gave up", exception.Message);
        Assert.Equal(new[] { 1 }, attempts.AttemptsOf(nameof(ThrowsItsOwnCancellation.GiveUp)));
    }

    [Fact]
    public async Task Cancelling_the_run_during_an_attempt_ends_it_with_OperationCanceledException_and_no_further_attempt()
    {
        var attempts = new AttemptLog();
        var workflow = new RetryingHang(attempts);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.Started.Task.OrTimeout();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.Equal(1, attempts.CountOf(nameof(RetryingHang.Hang)));
        Assert.True(workflow.SawCancellation);

        await Task.Delay(Limits.Quiet);
        Assert.Equal(1, attempts.CountOf(nameof(RetryingHang.Hang)));
        Assert.False(workflow.LaterStepStarted);
    }

    [Fact]
    public async Task The_runs_own_cancellation_is_not_retried_even_when_RetryOn_lists_cancellations()
    {
        var attempts = new AttemptLog();
        var workflow = new RetriesCancellations(attempts);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.Started.Task.OrTimeout();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        await Task.Delay(Limits.Quiet);
        Assert.Equal(1, attempts.CountOf(nameof(RetriesCancellations.Hang)));
    }

    [Fact]
    public async Task A_cancellation_listed_in_RetryOn_that_the_run_did_not_cause_is_retried()
    {
        var attempts = new AttemptLog();
        var workflow = new RetriesCancellations(attempts) { FailFirstAttemptWithOwnCancellation = true };

        var result = await workflow.RunAsync().OrTimeout();

        Assert.Equal(2, result);
        Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf(nameof(RetriesCancellations.Hang)));
    }

    [Fact]
    public async Task Cancelling_the_run_during_the_delay_between_attempts_ends_it_promptly_with_no_further_attempt()
    {
        var attempts = new AttemptLog();
        var workflow = new WaitsLongBetweenAttempts(attempts);
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(cts.Token).AsTask();
        await workflow.FirstAttemptFailed.Task.OrTimeout();
        await Task.Delay(100);
        var stopwatch = Stopwatch.StartNew();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"The run took {stopwatch.Elapsed} to stop after cancellation.");
        Assert.Equal(1, attempts.CountOf(nameof(WaitsLongBetweenAttempts.Fails)));
    }

    [Fact]
    public async Task A_workflow_timeout_during_the_delay_between_attempts_ends_the_run_promptly_with_TimeoutException()
    {
        var attempts = new AttemptLog();
        var stopwatch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(() => new WorkflowTimesOutBetweenAttempts(attempts).RunAsync().OrTimeout());

        Assert.IsNotType<StepTimeoutException>(exception);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"The run took {stopwatch.Elapsed}; the retry delay is 10 s, the workflow's limit 300 ms.");
        Assert.Equal(1, attempts.CountOf(nameof(WorkflowTimesOutBetweenAttempts.Fails)));
    }

    [Fact]
    public async Task A_group_timeout_during_the_delay_between_attempts_ends_the_run_promptly_with_TimeoutException()
    {
        var attempts = new AttemptLog();
        var log = new EventLog();
        var stopwatch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAnyAsync<TimeoutException>(() => new GroupTimesOutBetweenAttempts(attempts, log).RunAsync().OrTimeout());

        Assert.IsNotType<StepTimeoutException>(exception);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"The run took {stopwatch.Elapsed}; the retry delay is 10 s, the group's limit 300 ms.");
        Assert.Equal(1, attempts.CountOf(nameof(GroupTimesOutBetweenAttempts.Fails)));
        Assert.False(log.Started("After"));
    }

    [Fact]
    public async Task A_retrying_member_of_a_FailFast_group_stops_retrying_when_a_sibling_fails_and_the_run_fails_with_the_siblings_exception()
    {
        var attempts = new AttemptLog();
        var log = new EventLog();
        var workflow = new RetryingMemberWithFailingSibling(attempts, log);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => workflow.RunAsync().OrTimeout());
        var attemptsWhenThrown = attempts.CountOf(nameof(RetryingMemberWithFailingSibling.Retrying));

        Assert.Equal("sibling failed", exception.Message);
        Assert.InRange(attemptsWhenThrown, 1, 10);
        Assert.False(log.Started("After"));

        // No attempt starts after the failure: the retrying member stopped.
        await Task.Delay(Limits.Quiet + Limits.Quiet);
        Assert.Equal(attemptsWhenThrown, attempts.CountOf(nameof(RetryingMemberWithFailingSibling.Retrying)));
    }

    [Fact]
    public async Task Members_of_a_group_are_retried_each_on_its_own_synchronous_ones_on_the_thread_pool()
    {
        var attempts = new AttemptLog();

        var (sync, async) = await new RetryingGroupMembers(attempts).RunAsync().OrTimeout();

        Assert.Equal((2, 3), (sync, async));
        Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf(nameof(RetryingGroupMembers.Sync)));
        Assert.Equal(new[] { 1, 2, 3 }, attempts.AttemptsOf(nameof(RetryingGroupMembers.Async)));
    }

    [Fact]
    public async Task Each_foreach_item_is_retried_on_its_own_and_sees_its_own_attempt_number()
    {
        var attempts = new AttemptLog();

        var result = await new RetryingItems(attempts).RunAsync(new[] { 10, 20, 30, 40 }).OrTimeout();

        Assert.Equal(new[] { 11, 21, 31, 41 }, result);
        Assert.Equal(new[] { 1 }, attempts.AttemptsOf("Process[0]"));
        Assert.Equal(new[] { 1, 2, 3 }, attempts.AttemptsOf("Process[1]"));
        Assert.Equal(new[] { 1 }, attempts.AttemptsOf("Process[2]"));
        Assert.Equal(new[] { 1, 2 }, attempts.AttemptsOf("Process[3]"));
    }

    [Fact]
    public async Task A_foreach_item_that_fails_every_attempt_fails_the_run_with_its_own_exception()
    {
        var attempts = new AttemptLog();

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() => new RetryingItems(attempts).RunAsync(new[] { 1, 99, 3 }).OrTimeout());

        Assert.Equal("item 99 attempt 3", exception.Message);
        Assert.Equal(new[] { 1, 2, 3 }, attempts.AttemptsOf("Process[1]"));
    }

    [Fact]
    public void The_retry_policy_keeps_jittered_delays_within_half_and_the_whole_of_the_nominal_delay()
    {
        foreach (var backoff in new[] { Backoff.Constant, Backoff.Linear, Backoff.Exponential })
        {
            var plain = new StepPolicy("W", "S", maxAttempts: 5, delayMilliseconds: 100, backoff: backoff);
            var jittered = new StepPolicy("W", "S", maxAttempts: 5, delayMilliseconds: 100, backoff: backoff, jitter: true);
            for (var attempt = 1; attempt <= 4; attempt++)
            {
                var nominal = plain.DelayAfter(attempt).TotalMilliseconds;
                var samples = Enumerable.Range(0, 500).Select(_ => jittered.DelayAfter(attempt).TotalMilliseconds).ToArray();
                Assert.All(samples, sample => Assert.InRange(sample, nominal * 0.5, nominal));
                Assert.True(samples.Distinct().Count() > 1, $"{backoff} attempt {attempt}: jitter never varied the delay.");
            }
        }
    }
}

[Collection(TimingCollection.Name)]
public sealed class RetryDelayTests
{
    // Timers never fire early by more than their resolution; a gap shorter than this below the nominal delay means
    // the delay was not applied.
    private const double Slack = 15;

    [Fact]
    public async Task Constant_backoff_waits_the_delay_before_every_retry()
    {
        var attempts = new AttemptLog();

        await new ConstantBackoff(attempts).RunAsync().OrTimeout();

        var gaps = attempts.GapsOf(nameof(ConstantBackoff.Fetch));
        Assert.Equal(3, gaps.Length);
        Assert.All(gaps, gap => Assert.True(gap.TotalMilliseconds >= 100 - Slack, $"Gaps {Describe(gaps)}, expected at least 100 ms each."));
    }

    [Fact]
    public async Task Linear_backoff_waits_the_delay_times_the_attempt_number()
    {
        var attempts = new AttemptLog();

        await new LinearBackoff(attempts).RunAsync().OrTimeout();

        var gaps = attempts.GapsOf(nameof(LinearBackoff.Fetch));
        Assert.Equal(3, gaps.Length);
        for (var i = 0; i < gaps.Length; i++)
        {
            Assert.True(gaps[i].TotalMilliseconds >= (100 * (i + 1)) - Slack, $"Gaps {Describe(gaps)}, expected at least 100, 200, 300 ms.");
        }
    }

    [Fact]
    public async Task Exponential_backoff_doubles_the_delay_after_each_attempt()
    {
        var attempts = new AttemptLog();

        await new ExponentialBackoff(attempts).RunAsync().OrTimeout();

        var gaps = attempts.GapsOf(nameof(ExponentialBackoff.Fetch));
        Assert.Equal(3, gaps.Length);
        var nominal = new[] { 100, 200, 400 };
        for (var i = 0; i < gaps.Length; i++)
        {
            Assert.True(gaps[i].TotalMilliseconds >= nominal[i] - Slack, $"Gaps {Describe(gaps)}, expected at least 100, 200, 400 ms.");
        }
    }

    [Fact]
    public async Task Jitter_keeps_each_delay_between_half_and_the_whole_of_the_nominal_delay()
    {
        var attempts = new AttemptLog();

        await new JitteredBackoff(attempts).RunAsync().OrTimeout();

        var gaps = attempts.GapsOf(nameof(JitteredBackoff.Fetch));
        Assert.Equal(5, gaps.Length);

        // Never shorter than half the delay; never much longer than the whole of it (the upper margin only absorbs a
        // busy machine's scheduling).
        Assert.All(gaps, gap => Assert.InRange(gap.TotalMilliseconds, 150 - Slack, 300 + 250));

        // The delays are randomized: five draws all in the top tenth of the range would be a 1-in-100,000 event.
        Assert.True(gaps.Min().TotalMilliseconds < 270, $"Gaps {Describe(gaps)}: jitter never shortened a delay.");
    }

    [Fact]
    public async Task Jitter_applies_to_exponential_delays_too()
    {
        var attempts = new AttemptLog();

        await new JitteredExponentialBackoff(attempts).RunAsync().OrTimeout();

        var gaps = attempts.GapsOf(nameof(JitteredExponentialBackoff.Fetch));
        Assert.Equal(3, gaps.Length);
        var nominal = new[] { 100, 200, 400 };
        for (var i = 0; i < gaps.Length; i++)
        {
            Assert.InRange(gaps[i].TotalMilliseconds, (nominal[i] * 0.5) - Slack, nominal[i] + 250);
        }
    }

    private static string Describe(TimeSpan[] gaps) => string.Join(", ", gaps.Select(gap => $"{gap.TotalMilliseconds:0} ms"));
}

[Workflow]
public partial class SucceedsOnThirdAttempt(AttemptLog attempts)
{
    [Step, Retry(3)]
    public async Task<int> Flaky(StepContext context)
    {
        attempts.Record(context);
        await Task.Yield();
        if (context.Attempt < 3)
        {
            throw new InvalidDataException($"attempt {context.Attempt}");
        }

        return 42;
    }

    [Step]
    public int Doubled(int flaky) => flaky * 2;
}

[Workflow]
public partial class SynchronousRetry(AttemptLog attempts)
{
    [Step, Retry(4)]
    public string Parse(StepContext context)
    {
        attempts.Record(context);
        if (context.Attempt < 2)
        {
            throw new FormatException("not yet");
        }

        return $"parsed on {context.Attempt}";
    }
}

[Workflow]
public partial class AlwaysFailing(AttemptLog attempts, EventLog log)
{
    [Step, Retry(3)]
    public async Task<int> Broken(StepContext context)
    {
        attempts.Record(context);
        await Task.Yield();
        throw new InvalidDataException($"attempt {context.Attempt}");
    }

    [Step]
    public void After(int broken) => log.Start(nameof(After));
}

[Workflow]
public partial class RetriesOnlyIoErrors(AttemptLog attempts)
{
    /// <summary>The failure of each attempt (from 1); null for success.</summary>
    public Func<int, Exception?> Script { get; init; } = _ => null;

    [Step, Retry(5, RetryOn = new[] { typeof(IOException), typeof(TimeoutException) })]
    public async Task<string> Read(StepContext context)
    {
        attempts.Record(context);
        await Task.Yield();
        if (Script(context.Attempt) is { } failure)
        {
            throw failure;
        }

        return $"read on {context.Attempt}";
    }
}

[Workflow]
public partial class ThrowsItsOwnCancellation(AttemptLog attempts)
{
    [Step, Retry(3)]
    public async Task<int> GiveUp(StepContext context)
    {
        attempts.Record(context);
        await Task.Yield();
        throw new OperationCanceledException("gave up");
    }
}

[Workflow]
public partial class RetryingHang(AttemptLog attempts)
{
    private volatile bool _sawCancellation;
    private volatile bool _laterStepStarted;

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool SawCancellation => _sawCancellation;

    public bool LaterStepStarted => _laterStepStarted;

    [Step, Retry(5, DelayMilliseconds = 10)]
    public async Task<int> Hang(StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            _sawCancellation = true;
            throw;
        }

        return 0;
    }

    [Step]
    public void Later(int hang) => _laterStepStarted = true;
}

[Workflow]
public partial class RetriesCancellations(AttemptLog attempts)
{
    public bool FailFirstAttemptWithOwnCancellation { get; init; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step, Retry(5, DelayMilliseconds = 10, RetryOn = new[] { typeof(OperationCanceledException) })]
    public async Task<int> Hang(StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        Started.TrySetResult();
        if (FailFirstAttemptWithOwnCancellation)
        {
            await Task.Yield();
            if (context.Attempt == 1)
            {
                throw new TaskCanceledException("an HTTP client's own timeout");
            }

            return context.Attempt;
        }

        await Task.Delay(Timeout.Infinite, ct);
        return 0;
    }
}

[Workflow]
public partial class WaitsLongBetweenAttempts(AttemptLog attempts)
{
    public TaskCompletionSource FirstAttemptFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step, Retry(3, DelayMilliseconds = 10_000)]
    public async Task<int> Fails(StepContext context)
    {
        attempts.Record(context);
        await Task.Yield();
        FirstAttemptFailed.TrySetResult();
        throw new IOException($"attempt {context.Attempt}");
    }
}

[Workflow(TimeoutMilliseconds = 300)]
public partial class WorkflowTimesOutBetweenAttempts(AttemptLog attempts)
{
    [Step, Retry(3, DelayMilliseconds = 10_000)]
    public async Task<int> Fails(StepContext context)
    {
        attempts.Record(context);
        await Task.Yield();
        throw new IOException($"attempt {context.Attempt}");
    }
}

[Workflow]
public partial class GroupTimesOutBetweenAttempts(AttemptLog attempts, EventLog log)
{
    [Parallel("g", TimeoutMilliseconds = 300), Retry(3, DelayMilliseconds = 10_000)]
    public async Task<int> Fails(StepContext context)
    {
        attempts.Record(context);
        await Task.Yield();
        throw new IOException($"attempt {context.Attempt}");
    }

    [Parallel("g")]
    public async Task<int> Quick()
    {
        await Task.Delay(10);
        return 1;
    }

    [Step]
    public void After(int fails, int quick) => log.Start(nameof(After));
}

[Workflow]
public partial class RetryingMemberWithFailingSibling(AttemptLog attempts, EventLog log)
{
    [Parallel("g"), Retry(50, DelayMilliseconds = 50)]
    public async Task<int> Retrying(StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        await Task.Delay(10, ct);
        throw new IOException($"attempt {context.Attempt}");
    }

    [Parallel("g")]
    public async Task<int> Sibling()
    {
        await Task.Delay(120);
        throw new InvalidOperationException("sibling failed");
    }

    [Step]
    public void After(int retrying, int sibling) => log.Start(nameof(After));
}

[Workflow]
public partial class RetryingGroupMembers(AttemptLog attempts)
{
    [Parallel("g"), Retry(3, DelayMilliseconds = 10)]
    public int Sync(StepContext context)
    {
        attempts.Record(context);
        return context.Attempt < 2 ? throw new FormatException("sync") : context.Attempt;
    }

    [Parallel("g"), Retry(3, DelayMilliseconds = 10)]
    public async Task<int> Async(StepContext context)
    {
        attempts.Record(context);
        await Task.Delay(5);
        return context.Attempt < 3 ? throw new IOException("async") : context.Attempt;
    }
}

[Workflow]
public partial class RetryingItems(AttemptLog attempts)
{
    [ParallelForEach("numbers", MaxDegreeOfParallelism = 2), Retry(3, DelayMilliseconds = 10)]
    public async Task<int> Process(int number, StepContext context, CancellationToken ct)
    {
        attempts.Record(context);
        await Task.Delay(5, ct);
        var failures = number switch
        {
            20 => 2,
            40 => 1,
            99 => int.MaxValue,
            _ => 0,
        };
        if (context.Attempt <= failures)
        {
            throw new InvalidDataException($"item {number} attempt {context.Attempt}");
        }

        return number + 1;
    }
}

[Workflow]
public partial class ConstantBackoff(AttemptLog attempts)
{
    [Step, Retry(4, DelayMilliseconds = 100)]
    public Task<int> Fetch(StepContext context) => Backoffs.FailUntilLast(attempts, context, 4);
}

[Workflow]
public partial class LinearBackoff(AttemptLog attempts)
{
    [Step, Retry(4, DelayMilliseconds = 100, Backoff = Backoff.Linear)]
    public Task<int> Fetch(StepContext context) => Backoffs.FailUntilLast(attempts, context, 4);
}

[Workflow]
public partial class ExponentialBackoff(AttemptLog attempts)
{
    [Step, Retry(4, DelayMilliseconds = 100, Backoff = Backoff.Exponential)]
    public Task<int> Fetch(StepContext context) => Backoffs.FailUntilLast(attempts, context, 4);
}

[Workflow]
public partial class JitteredBackoff(AttemptLog attempts)
{
    [Step, Retry(6, DelayMilliseconds = 300, Jitter = true)]
    public Task<int> Fetch(StepContext context) => Backoffs.FailUntilLast(attempts, context, 6);
}

[Workflow]
public partial class JitteredExponentialBackoff(AttemptLog attempts)
{
    [Step, Retry(4, DelayMilliseconds = 100, Backoff = Backoff.Exponential, Jitter = true)]
    public Task<int> Fetch(StepContext context) => Backoffs.FailUntilLast(attempts, context, 4);
}

internal static class Backoffs
{
    /// <summary>Fails every attempt before <paramref name="last"/>, which succeeds.</summary>
    public static Task<int> FailUntilLast(AttemptLog attempts, in StepContext context, int last)
    {
        attempts.Record(context);
        return context.Attempt < last
            ? Task.FromException<int>(new IOException($"attempt {context.Attempt}"))
            : Task.FromResult(context.Attempt);
    }
}
