namespace Flows.IntegrationTests.ResilienceSteps;

public sealed class FlowControlTests
{
    public FlowControlTests() => Limits.EnsureThreadPoolThreads();

    [Fact]
    public async Task Pausing_during_a_stage_lets_it_finish_and_starts_no_new_stage_until_resumed()
    {
        var log = new EventLog();
        var workflow = new PausableStages(log);
        var control = new FlowControl();

        var run = workflow.RunAsync(control).AsTask();
        await workflow.FirstStarted.Task.OrTimeout();
        control.Pause();
        workflow.ReleaseFirst.SetResult();

        await Task.Delay(Limits.Quiet);
        Assert.Equal(new[] { "start First", "end First" }, log.Events);
        Assert.False(run.IsCompleted);

        control.Resume();
        Assert.Equal(3, await run.OrTimeout());
        Assert.Equal(new[] { "start First", "end First", "start Second", "start Third" }, log.Events);
    }

    [Fact]
    public async Task Pausing_during_a_foreach_lets_running_items_finish_and_starts_no_new_item_until_resumed()
    {
        var log = new EventLog();
        var workflow = new PausableItems(log);
        var control = new FlowControl();

        var run = workflow.RunAsync(Enumerable.Range(0, 6).ToArray(), control).AsTask();
        await workflow.TwoStarted.Task.OrTimeout();
        control.Pause();
        workflow.Release.SetResult();

        await Task.Delay(Limits.Quiet);
        var events = log.Events;
        Assert.Equal(2, events.Count(entry => entry.StartsWith("start", StringComparison.Ordinal)));
        Assert.Equal(2, events.Count(entry => entry.StartsWith("end", StringComparison.Ordinal)));
        Assert.False(run.IsCompleted);

        control.Resume();
        var result = await run.OrTimeout();
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, result);
        Assert.Equal(6, log.Events.Count(entry => entry.StartsWith("start", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Cancelling_a_run_paused_inside_a_foreach_ends_it_promptly_with_OperationCanceledException()
    {
        var log = new EventLog();
        var workflow = new PausableItems(log);
        var control = new FlowControl();
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(Enumerable.Range(0, 6).ToArray(), control, cts.Token).AsTask();
        await workflow.TwoStarted.Task.OrTimeout();
        control.Pause();
        workflow.Release.SetResult();
        await Task.Delay(Limits.Quiet);

        var stopwatch = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"The paused run took {stopwatch.Elapsed} to end after cancellation.");

        control.Resume();
        await Task.Delay(Limits.Quiet);
        Assert.Equal(2, log.Events.Count(entry => entry.StartsWith("start", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Cancelling_a_run_paused_between_stages_ends_it_promptly_with_OperationCanceledException()
    {
        var log = new EventLog();
        var workflow = new PausableStages(log);
        var control = new FlowControl();
        using var cts = new CancellationTokenSource();

        var run = workflow.RunAsync(control, cts.Token).AsTask();
        await workflow.FirstStarted.Task.OrTimeout();
        control.Pause();
        workflow.ReleaseFirst.SetResult();
        await Task.Delay(Limits.Quiet);

        var stopwatch = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.OrTimeout());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"The paused run took {stopwatch.Elapsed} to end after cancellation.");

        control.Resume();
        await Task.Delay(Limits.Quiet);
        Assert.Equal(new[] { "start First", "end First" }, log.Events);
    }

    [Fact]
    public async Task A_step_retrying_while_the_run_is_paused_finishes_its_attempts_and_the_next_stage_waits()
    {
        var attempts = new AttemptLog();
        var log = new EventLog();
        var workflow = new RetryWhilePaused(attempts, log);
        var control = new FlowControl();

        var run = workflow.RunAsync(control).AsTask();
        await workflow.FirstAttemptStarted.Task.OrTimeout();
        control.Pause();

        // The running step is not stopped by the pause: its retries run and it completes.
        await workflow.Succeeded.Task.OrTimeout();
        await Task.Delay(Limits.Quiet);
        Assert.Equal(new[] { 1, 2, 3 }, attempts.AttemptsOf(nameof(RetryWhilePaused.Flaky)));
        Assert.False(log.Started("Next"));

        control.Resume();
        Assert.Equal(4, await run.OrTimeout());
    }
}

[Workflow]
public partial class PausableStages(EventLog log)
{
    public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource ReleaseFirst { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step]
    public async Task<int> First()
    {
        log.Start(nameof(First));
        FirstStarted.SetResult();
        await ReleaseFirst.Task;
        log.End(nameof(First));
        return 1;
    }

    [Step]
    public int Second(int first)
    {
        log.Start(nameof(Second));
        return first + 1;
    }

    [Step]
    public int Third(int second)
    {
        log.Start(nameof(Third));
        return second + 1;
    }
}

[Workflow]
public partial class PausableItems(EventLog log)
{
    private int _started;

    public TaskCompletionSource TwoStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [ParallelForEach("items", MaxDegreeOfParallelism = 2)]
    public async Task<int> Process(int item, CancellationToken ct)
    {
        log.Start(item.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Interlocked.Increment(ref _started) == 2)
        {
            TwoStarted.TrySetResult();
        }

        await Release.Task.WaitAsync(ct);
        await Task.Delay(10, ct);
        log.End(item.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return item;
    }
}

[Workflow]
public partial class RetryWhilePaused(AttemptLog attempts, EventLog log)
{
    public TaskCompletionSource FirstAttemptStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Succeeded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Step, Retry(3, DelayMilliseconds = 50)]
    public async Task<int> Flaky(StepContext context)
    {
        attempts.Record(context);
        FirstAttemptStarted.TrySetResult();
        await Task.Delay(50);
        if (context.Attempt < 3)
        {
            throw new System.IO.IOException("flaky");
        }

        Succeeded.TrySetResult();
        return context.Attempt;
    }

    [Step]
    public int Next(int flaky)
    {
        log.Start(nameof(Next));
        return flaky + 1;
    }
}
